import { type KnownSource } from '../../../shared/domain/sessions';
import { useCallback, useEffect, useState } from 'react';
import { type Receiver, type ReceiverInput } from '../../../shared/domain/receiver';
import { type ReceiverHealth } from '../../../shared/domain/health';
import { useToast } from '../ui/Toasts';
import { useSaveAndDelete } from '../ui/useSaveAndDelete';
import { useConnectionState, useStation } from '../station/StationContext';
import { ReceiverForm } from './ReceiverForm';
import { ReceiverMap } from './ReceiverMap';
import { useNewShortcut } from '../ui/useNewShortcut';
import { useUnits } from '../ui/locate/distance';
import { LocatedOverlayBar } from '../ui/locate/LocatedOverlayBar';
import { useLocatedOverlay } from '../ui/locate/useLocatedOverlay';
import '../ui/locate/locate.css';
import '../ui/ui.css';
import { LoadState } from '../ui/LoadState';
import { RowActions } from '../ui/RowActions';

function ago(iso: string | null): string {
  if (!iso) return 'never';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function HealthCell({ h, active }: { h: ReceiverHealth | undefined; active: boolean }) {
  if (!active) return <span className="health health-idle">inactive</span>;
  if (!h || h.online === null) return <span className="health health-unknown">not probed</span>;
  return (
    <span className={h.online ? 'health health-up' : 'health health-down'} title={h.detail}>
      {h.online ? 'online' : 'offline'}
    </span>
  );
}

const fmtCoord = (r: Receiver) => (r.lat === null || r.lon === null ? '—' : `${r.lat.toFixed(3)}, ${r.lon.toFixed(3)}${r.alt !== null ? ` · ${Math.round(r.alt)} m` : ''}`);

export function ReceiversPage() {
  const station = useStation();
  const connection = useConnectionState();
  const toast = useToast();
  const [receivers, setReceivers] = useState<Receiver[] | null>(null);
  const [editing, setEditing] = useState<Receiver | 'new' | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [health, setHealth] = useState<Map<string, ReceiverHealth>>(new Map());
  const [probing, setProbing] = useState(false);
  const [sources, setSources] = useState<KnownSource[]>([]);
  const located = useLocatedOverlay();
  const units = useUnits();
  const loadHealth = useCallback(() => {
    station.listReceiverHealth().then((list) => setHealth(new Map(list.map((h) => [h.receiverId, h]))), () => undefined);
  }, [station]);
  const probeAll = async () => {
    setProbing(true);
    try {
      const list = await station.probeReceivers({});
      setHealth(new Map(list.map((h) => [h.receiverId, h])));
    } catch (e) {
      toast({ kind: 'error', text: (e as Error).message });
    } finally {
      setProbing(false);
    }
  };

  const reload = useCallback(() => {
    station.listReceivers().then(
      (list) => {
        setReceivers(list);
        setLoadError(null);
      },
      (e: Error) => setLoadError(e.message),
    );
  }, [station]);

  // Known transmitters share the map, so the operator sees the geometry of a session at a glance.
  const reloadSources = useCallback(() => {
    station.listKnownSources().then(setSources, () => undefined);
  }, [station]);

  useEffect(() => {
    if (connection !== 'open') return;
    reload();
    loadHealth();
    reloadSources();
  }, [connection, reload, loadHealth, reloadSources]);

  useEffect(
    () =>
      station.subscribe('stationEvents', {}, (ev) => {
        if (ev.header.type === 'receivers.changed') reload();
        if (ev.header.type === 'health.changed') loadHealth();
        if (ev.header.type === 'sources.changed') reloadSources();
      }),
    [station, reload, loadHealth, reloadSources],
  );

  useNewShortcut(() => setEditing('new'));

  const { save, remove } = useSaveAndDelete<Receiver, ReceiverInput>({
    create: (input) => station.createReceiver(input),
    update: (id, patch) => station.updateReceiver({ id, patch }),
    remove: (id) => station.deleteReceiver({ id }),
    inputOf: ({ id: _id, hasPassword: _p, createdAt: _c, updatedAt: _u, ...input }) => input,
    reload,
    editing,
    setEditing,
  });

  const loadDefaultSet = async () => {
    try {
      const { added, skipped } = await station.loadReceiverSet({ setId: 'heimdall-nw-italy' });
      toast({ kind: 'info', text: `Loaded the Heimdall NW-Italy set: ${added} added${skipped ? `, ${skipped} already present` : ''}. They are on the internet: without a network they show as offline.` });
      reload();
    } catch (e) {
      toast({ kind: 'error', text: (e as Error).message });
    }
  };

  return (
    <section className="page">
      <header className="page-header">
        <h1>Receivers</h1>
        <div className="page-actions">
          <button className="btn" onClick={() => void probeAll()} disabled={probing || !receivers?.length}>
            {probing ? 'Checking…' : 'Check health now'}
          </button>
          <button className="btn" onClick={loadDefaultSet} title="Seven real OpenWebRX receivers of the Heimdall network, reached over the internet">
            Load NW-Italy set (internet)
          </button>
          <button className="btn btn-primary" onClick={() => setEditing('new')} aria-keyshortcuts="N">
            Add receiver <kbd>N</kbd>
          </button>
        </div>
      </header>
      <LoadState error={loadError} loading={receivers === null} what="receivers" />
      {receivers?.length === 0 && (
        <div className="empty-state">
          <h2>No receivers yet</h2>
          <p>Add a KiwiSDR or OpenWebRX receiver by its web address: the station asks it for its kind, name and position.</p>
          <div className="page-actions">
            <button className="btn btn-primary" onClick={() => setEditing('new')}>
              Add receiver
            </button>
            <button className="btn" onClick={loadDefaultSet}>
              Load NW-Italy set (internet)
            </button>
          </div>
          <p className="muted">The NW-Italy set is the Heimdall network’s seven real OpenWebRX receivers, reached over the internet: offline they stay unreachable.</p>
          <p className="muted" data-testid="demo-hint">
            No receivers at hand, or offline? Try the demo: start the station with <code>npm start -- --demo</code> (or <code>heimdall-station serve --demo</code>). Twelve simulated receivers and two transmitters run on this machine (the station prints where to tune), with no network needed.
          </p>
        </div>
      )}
      {receivers && receivers.length > 0 && <LocatedOverlayBar overlay={located} units={units} />}
      {receivers && receivers.length > 0 && (
        <ReceiverMap
          receivers={receivers}
          sources={sources}
          overlay={located.prepared}
          units={units}
          selectedId={selected}
          onSelect={(id) => {
            setSelected(id);
            document.querySelector(`[data-receiver-id="${id}"]`)?.scrollIntoView({ block: 'nearest' });
          }}
        />
      )}
      {receivers && receivers.length > 0 && (
        <table className="table" data-testid="receivers-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>State</th>
              <th>Kind</th>
              <th>URL</th>
              <th>Location</th>
              <th>Users</th>
              <th>GPS</th>
              <th>Last seen</th>
              <th>Uptime 24 h</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {receivers.map((r) => (
              <tr key={r.id} data-receiver-id={r.id} className={r.id === selected ? 'selected' : undefined} onClick={() => setSelected(r.id)}>
                <td className="strong">
                  {r.name}
                  {r.hasPassword && (
                    <span className="tag" title="A password is stored for this receiver">
                      🔒
                    </span>
                  )}
                </td>
                <td>
                  <HealthCell h={health.get(r.id)} active={r.active} />
                </td>
                <td>
                  <span className={`kind kind-${r.kind}`}>{r.kind === 'kiwisdr' ? 'KiwiSDR' : 'OpenWebRX'}</span>
                </td>
                <td className="mono">{r.url}</td>
                <td className="mono">{fmtCoord(r)}</td>
                <td className="mono">{health.get(r.id)?.users != null ? `${health.get(r.id)!.users}/${health.get(r.id)!.usersMax ?? '?'}` : '—'}</td>
                <td className="mono">{r.kind === 'openwebrx' ? 'n/a' : health.get(r.id)?.gpsGood != null ? `${health.get(r.id)!.gpsGood} sats` : '—'}</td>
                <td>{ago(health.get(r.id)?.lastSeenAt ?? null)}</td>
                <td className="mono">{health.get(r.id)?.uptime24hPct != null ? `${health.get(r.id)!.uptime24hPct}%` : '—'}</td>
                <RowActions name={r.name} onEdit={() => setEditing(r)} onDelete={() => void remove(r)} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <ReceiverForm receiver={editing === 'new' ? undefined : editing} onSave={save} onCancel={() => setEditing(null)} identify={(url) => station.identifyReceiver({ url })} />}
    </section>
  );
}

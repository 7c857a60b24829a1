import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { type Receiver } from '../../../shared/domain/receiver';
import { captureModes, type CaptureMode, type MonitorStatus } from '../../../shared/domain/monitor';
import { type Settings } from '../../../shared/domain/settings';
import { useToast } from '../components/Toasts';
import { useConnectionState, useStation } from '../station/StationContext';
import { WaterfallCanvas, type WaterfallFeed } from '../waterfall/WaterfallCanvas';
import { type ColorMapName } from '../waterfall/colormaps';

const PHASE_LABEL = { connecting: 'Connecting', streaming: 'Live', backoff: 'Waiting', stopped: 'Stopped', failed: 'Failed' } as const;

/** Splits the one waterfall subscription into a feed per receiver. */
function useWaterfallFeeds(active: boolean) {
  const station = useStation();
  const [bins, setBins] = useState<Record<string, number>>({});
  const hub = useMemo(() => {
    const sinks = new Map<string, Set<(rows: Uint8Array, count: number, bins: number) => void>>();
    // One stable feed object per receiver: a new one would restart its waterfall on every render.
    const feeds = new Map<string, WaterfallFeed>();
    return {
      sinks,
      feed(receiverId: string): WaterfallFeed {
        const known = feeds.get(receiverId);
        if (known) return known;
        const created: WaterfallFeed = {
          subscribe(sink) {
            const set = sinks.get(receiverId) ?? new Set();
            set.add(sink);
            sinks.set(receiverId, set);
            return () => set.delete(sink);
          },
        };
        feeds.set(receiverId, created);
        return created;
      },
    };
  }, []);
  useEffect(() => {
    if (!active) return;
    return station.subscribe('waterfall', { receiverIds: [] }, (ev) => {
      const h = ev.header;
      if (!ev.body) return;
      setBins((b) => (b[h.receiverId] === h.bins ? b : { ...b, [h.receiverId]: h.bins }));
      for (const sink of hub.sinks.get(h.receiverId) ?? []) sink(ev.body, h.rows, h.bins);
    });
  }, [station, active, hub]);
  return { bins, feed: hub.feed };
}

export function LivePage() {
  const station = useStation();
  const connection = useConnectionState();
  const toast = useToast();
  const [receivers, setReceivers] = useState<Receiver[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [freqMHz, setFreqMHz] = useState('145.500');
  const [mode, setMode] = useState<CaptureMode>('nfm');
  const [status, setStatus] = useState<MonitorStatus | null>(null);
  const [colors, setColors] = useState<ColorMapName>('viridis');
  const [busy, setBusy] = useState(false);
  const { bins, feed } = useWaterfallFeeds(status?.running ?? false);

  useEffect(() => {
    if (connection !== 'open') return;
    station.listReceivers().then((list) => {
      setReceivers(list);
      setChosen((c) => (c.size ? c : new Set(list.filter((r) => r.active).map((r) => r.id))));
    }, (e: Error) => toast({ kind: 'error', text: e.message }));
    station.getMonitor().then(setStatus, () => undefined);
    station.getSettings().then((s: Settings) => setColors(s.colorMap), () => undefined);
  }, [station, connection, toast]);

  useEffect(
    () =>
      station.subscribe('receiverStates', {}, (ev) => {
        const c = ev.header;
        setStatus((s) =>
          s
            ? {
                ...s,
                receivers: s.receivers.map((r) =>
                  r.receiverId === c.receiverId ? { ...r, ...(c.state ? { state: c.state } : {}), ...(c.smeterDbm !== undefined ? { smeterDbm: c.smeterDbm } : {}) } : r,
                ),
              }
            : s,
        );
      }),
    [station],
  );

  const start = async (e?: FormEvent) => {
    e?.preventDefault();
    const freqHz = Math.round(Number(freqMHz.replace(',', '.')) * 1e6);
    if (!Number.isFinite(freqHz) || freqHz <= 0) {
      toast({ kind: 'error', text: 'Enter the frequency in MHz, e.g. 145.500 or 7.100.' });
      return;
    }
    setBusy(true);
    try {
      setStatus(await station.startMonitor({ receiverIds: [...chosen], freqHz, mode }));
    } catch (err) {
      toast({ kind: 'error', text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const stop = async () => {
    setBusy(true);
    try {
      setStatus(await station.stopMonitor());
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string) => setChosen((c) => {
    const n = new Set(c);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });

  return (
    <section className="page page-wide">
      <header className="page-header">
        <h1>Live</h1>
        {status?.running && (
          <span className="muted" data-testid="monitor-summary">
            {(status.freqHz! / 1e6).toFixed(4)} MHz · {status.mode} · {status.receivers.length} receivers
          </span>
        )}
      </header>
      <form className="panel live-controls" onSubmit={start}>
        <label className="field">
          <span className="field-label">Frequency (MHz)</span>
          <input name="freq" inputMode="decimal" value={freqMHz} onChange={(e) => setFreqMHz(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Mode</span>
          <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as CaptureMode)}>
            {captureModes.map((m) => (
              <option key={m} value={m}>
                {m === 'iq' ? 'IQ (KiwiSDR only)' : m.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field live-receivers">
          <legend className="field-label">Receivers ({chosen.size} chosen)</legend>
          {receivers.length === 0 && <span className="muted">No receivers yet: add some on the Receivers page.</span>}
          {receivers.map((r) => (
            <label key={r.id} className="chip">
              <input type="checkbox" checked={chosen.has(r.id)} onChange={() => toggle(r.id)} />
              {r.name}
            </label>
          ))}
        </fieldset>
        <div className="dialog-actions">
          {status?.running ? (
            <button type="button" className="btn btn-danger" onClick={() => void stop()} disabled={busy}>
              Stop monitor
            </button>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={busy || chosen.size === 0}>
            {status?.running ? 'Retune' : 'Start monitor'}
          </button>
        </div>
      </form>
      {status?.running ? (
        <div className="live-grid">
          {status.receivers.map((r) => (
            <article key={r.receiverId} className={`live-card phase-${r.state.phase}`} data-testid="live-card" data-receiver-id={r.receiverId}>
              <header>
                <strong>{r.name}</strong>
                <span className={`badge badge-${r.state.phase}`}>{PHASE_LABEL[r.state.phase]}</span>
                {r.smeterDbm !== null && (
                  <span className="mono smeter" title={r.kind === 'kiwisdr' ? 'KiwiSDR S-meter, calibrated' : 'OpenWebRX S-meter, relative (not calibrated)'}>
                    {r.smeterDbm.toFixed(1)} {r.kind === 'kiwisdr' ? 'dBm' : 'dB'}
                  </span>
                )}
              </header>
              {bins[r.receiverId] ? (
                <WaterfallCanvas feed={feed(r.receiverId)} bins={bins[r.receiverId]!} colors={colors} label={r.name} />
              ) : (
                <div className="waterfall-placeholder">{r.state.phase === 'streaming' ? 'Waiting for the first spectrum row…' : r.state.phase === 'failed' ? 'No data' : 'No spectrum yet'}</div>
              )}
              {r.state.phase !== 'streaming' && <p className="state-msg">{r.state.message}</p>}
            </article>
          ))}
        </div>
      ) : (
        <div className="empty-state">
          <p>Choose receivers and a frequency, then start the monitor to see each receiver’s waterfall and state live. Nothing is recorded here; recording happens in Sessions.</p>
        </div>
      )}
    </section>
  );
}

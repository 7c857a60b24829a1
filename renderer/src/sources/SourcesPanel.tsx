import { useNewShortcut } from '../ui/useNewShortcut';
import { useCallback, useEffect, useState } from 'react';
import { type KnownSource, type KnownSourceInput } from '../../../shared/domain/sessions';
import { useToast } from '../ui/Toasts';
import { useSaveAndDelete } from '../ui/useSaveAndDelete';
import { errorText, fmtFreq } from '../ui/format';
import { useStationEvents } from '../ui/hooks';
import { useConnectionState, useStation } from '../station/StationContext';
import { CsvImportDialog } from './CsvImportDialog';
import { SourceForm } from './SourceForm';
import '../ui/ui.css';
import './sources.css';
import { RowActions } from '../ui/RowActions';

const fmtPos = (s: KnownSource) => `${s.lat.toFixed(5)}, ${s.lon.toFixed(5)}${s.alt !== null ? ` · ${Math.round(s.alt)} m` : ''}`;

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The known-transmitter catalogue: list, add/edit/delete, CSV import and export. */
export function SourcesPanel() {
  const station = useStation();
  const connection = useConnectionState();
  const toast = useToast();
  const [sources, setSources] = useState<KnownSource[] | null>(null);
  const [editing, setEditing] = useState<KnownSource | 'new' | null>(null);
  const [importing, setImporting] = useState(false);

  const reload = useCallback(() => {
    station.listKnownSources().then(setSources, (e: Error) => toast({ kind: 'error', text: `Could not load the known sources: ${e.message}` }));
  }, [station, toast]);
  useEffect(() => {
    if (connection === 'open') reload();
  }, [connection, reload]);
  useStationEvents((ev) => {
    if (ev.type === 'sources.changed') reload();
  });

  useNewShortcut(() => setEditing('new'));

  const { save, remove } = useSaveAndDelete<KnownSource, KnownSourceInput>({
    create: (input) => station.createKnownSource(input),
    update: (id, patch) => station.updateKnownSource({ id, patch }),
    remove: (id) => station.deleteKnownSource({ id }),
    inputOf: ({ id: _id, createdAt: _c, updatedAt: _u, ...input }) => input,
    reload,
    editing,
    setEditing,
  });

  const exportCsv = async () => {
    try {
      const { text } = await station.exportKnownSourcesCsv();
      download(`known-sources-${new Date().toISOString().slice(0, 10)}.csv`, text, 'text/csv');
      toast({ kind: 'info', text: `Exported ${sources?.length ?? 0} ${sources?.length === 1 ? 'source' : 'sources'} as CSV (see your downloads folder).` });
    } catch (e) {
      toast({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <div className="sources" data-testid="sources-panel">
      <div className="hs-toolbar">
        <p className="muted hs-toolbar-text">Transmitters with a known position: the ground truth a session records. Your own handheld at a surveyed point counts.</p>
        <div className="page-actions">
          <button className="btn" onClick={() => setImporting(true)}>
            Import CSV…
          </button>
          <button className="btn" onClick={() => void exportCsv()} disabled={!sources?.length}>
            Export CSV
          </button>
          <button className="btn btn-primary" onClick={() => setEditing('new')} aria-keyshortcuts="N">
            Add source <kbd>N</kbd>
          </button>
        </div>
      </div>
      {sources === null && <p className="muted">Loading known sources…</p>}
      {sources?.length === 0 && (
        <div className="empty-state">
          <h2>No known sources yet</h2>
          <p>
            Add the transmitter you will record: a beacon, a repeater, or yourself with a handheld at a surveyed point. Its position is what the
            recordings will be labelled with, so enter it as precisely as you know it, with an honest error margin.
          </p>
          <div className="page-actions">
            <button className="btn btn-primary" onClick={() => setEditing('new')}>
              Add source
            </button>
            <button className="btn" onClick={() => setImporting(true)}>
              Import CSV…
            </button>
          </div>
        </div>
      )}
      {sources && sources.length > 0 && (
        <table className="table" data-testid="sources-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Frequency</th>
              <th>Position</th>
              <th>± m</th>
              <th>Power</th>
              <th>Validated</th>
              <th>Notes</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.id} data-source-id={s.id}>
                <td className="strong">{s.name}</td>
                <td>{s.kind ? <span className={`kind src-kind-${s.kind}`}>{s.kind}</span> : '—'}</td>
                <td className="mono">{fmtFreq(s.frequencyHz)}</td>
                <td className="mono">{fmtPos(s)}</td>
                <td className="mono">{s.errorMarginM}</td>
                <td className="mono">{s.powerDbm !== null ? `${s.powerDbm} dBm` : '—'}</td>
                <td>{s.validated ? <span className="src-valid">✓ yes</span> : <span className="muted">no</span>}</td>
                <td className="notes" title={s.notes ?? undefined}>
                  {s.notes ?? ''}
                </td>
                <RowActions name={s.name} onEdit={() => setEditing(s)} onDelete={() => void remove(s)} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <SourceForm source={editing === 'new' ? undefined : editing} onSave={save} onCancel={() => setEditing(null)} />}
      {importing && (
        <CsvImportDialog
          onClose={() => setImporting(false)}
          onImported={(r) => {
            setImporting(false);
            reload();
            toast({ kind: r.rejected.length ? 'error' : 'info', text: `CSV import: ${r.added} added, ${r.updated} updated${r.rejected.length ? `, ${r.rejected.length} ${r.rejected.length === 1 ? 'row' : 'rows'} rejected (first: line ${r.rejected[0]!.line}: ${r.rejected[0]!.reason}). Fix those rows and import them again.` : ''}.` });
          }}
        />
      )}
    </div>
  );
}

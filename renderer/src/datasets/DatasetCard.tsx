import { type Dataset, type ExportJob } from '../../../shared/domain/datasets';
import { type KnownSource, type SessionSummary } from '../../../shared/domain/sessions';
import { type Receiver } from '../../../shared/domain/receiver';
import { fmtBytes, fmtDateTime, fmtDuration, fmtFreq } from '../ui/format';
import { ExportProgress, FORMAT_NAME } from './ExportDialog';
import { SplitBar } from './PreviewPanel';

function filterChips(d: Dataset, names: { sessions: Map<string, string>; sources: Map<string, string>; receivers: Map<string, string> }): string[] {
  const f = d.filters;
  const list = (ids: string[] | undefined, m: Map<string, string>, what: string) =>
    ids?.length ? `${what}: ${ids.length > 2 ? `${ids.length} chosen` : ids.map((i) => m.get(i) ?? i.slice(0, 8)).join(', ')}` : null;
  return [
    f.approval === 'any_reviewed' ? 'any reviewed' : 'approved only',
    list(f.sessionIds, names.sessions, 'sessions'),
    list(f.sourceIds, names.sources, 'sources'),
    list(f.receiverIds, names.receivers, 'receivers'),
    f.freqMinHz !== undefined || f.freqMaxHz !== undefined ? `${f.freqMinHz !== undefined ? fmtFreq(f.freqMinHz) : '0'} – ${f.freqMaxHz !== undefined ? fmtFreq(f.freqMaxHz) : '∞'}` : null,
    f.from || f.to ? `${f.from ?? '…'} → ${f.to ?? '…'}` : null,
    f.minSnrDb !== undefined ? `SNR ≥ ${f.minSnrDb} dB` : null,
    `split ${Math.round(d.ratios.train * 100)}/${Math.round(d.ratios.val * 100)}/${Math.round(d.ratios.test * 100)} · seed ${d.seed}`,
  ].filter((x): x is string => x !== null);
}

export function DatasetCard({
  dataset,
  jobs,
  sessions,
  sources,
  receivers,
  onExport,
  onDelete,
  onCancelJob,
}: {
  dataset: Dataset;
  jobs: ExportJob[];
  sessions: SessionSummary[];
  sources: KnownSource[];
  receivers: Receiver[];
  onExport: () => void;
  onDelete: () => void;
  onCancelJob: (job: ExportJob) => void;
}) {
  const p = dataset.preview;
  const chips = filterChips(dataset, {
    sessions: new Map(sessions.map((s) => [s.id, s.name])),
    sources: new Map(sources.map((s) => [s.id, s.name])),
    receivers: new Map(receivers.map((r) => [r.id, r.name])),
  });
  return (
    <article className="ds-card panel" data-testid="dataset-card" data-dataset-id={dataset.id}>
      <header className="ds-card-head">
        <div>
          <h3>{dataset.name}</h3>
          <div className="muted small">Created {fmtDateTime(dataset.createdAt)}</div>
        </div>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" onClick={onExport} aria-label={`Export ${dataset.name}`}>
            Export…
          </button>
          <button type="button" className="btn btn-small btn-danger" onClick={onDelete} aria-label={`Delete ${dataset.name}`}>
            Delete
          </button>
        </div>
      </header>
      {dataset.description && <p>{dataset.description}</p>}
      <div className="ds-chips">
        {chips.map((c) => (
          <span key={c} className="ds-chip">
            {c}
          </span>
        ))}
      </div>
      <div className="ds-counts">
        <span>
          <strong>{p.sessions}</strong> {p.sessions === 1 ? 'session' : 'sessions'}
        </span>
        <span>
          <strong>{p.acquisitions}</strong> {p.acquisitions === 1 ? 'transmission' : 'transmissions'}
        </span>
        <span>
          <strong>{p.samples}</strong> {p.samples === 1 ? 'sample' : 'samples'}
        </span>
        <span className="muted">
          {p.receivers} receivers · {fmtDuration(p.durationSec)} · {fmtBytes(p.bytes)}
        </span>
        <span className="muted mono small">
          train {p.splits.train.samples} · val {p.splits.val.samples} · test {p.splits.test.samples}
        </span>
      </div>
      {p.samples > 0 && <SplitBar preview={p} />}
      {jobs.length > 0 && (
        <div className="ds-exports">
          <span className="field-label">Exports</span>
          {jobs.map((j) => (
            <div key={j.id} className="ds-export">
              <div className="ds-export-head">
                <strong>{FORMAT_NAME[j.format]}</strong>
                <span className="mono small ds-outdir" title={j.outDir}>
                  {j.outDir}
                </span>
                <span className="muted small">{fmtDateTime(j.startedAt)}</span>
                {j.state === 'running' && (
                  <button type="button" className="btn btn-small btn-danger" onClick={() => onCancelJob(j)}>
                    Cancel
                  </button>
                )}
              </div>
              <ExportProgress job={j} />
            </div>
          ))}
        </div>
      )}
    </article>
  );
}

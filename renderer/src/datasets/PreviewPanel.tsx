import { type DatasetPreview } from '../../../shared/domain/datasets';
import { fmtBytes, fmtDuration } from '../ui/format';

const SPLITS = [
  { id: 'train', label: 'Train' },
  { id: 'val', label: 'Val' },
  { id: 'test', label: 'Test' },
] as const;

export function SplitBar({ preview }: { preview: DatasetPreview }) {
  const total = preview.samples || 1;
  return (
    <div className="split-bar" aria-hidden="true">
      {SPLITS.map((s) => (
        <div key={s.id} className={`split-${s.id}`} style={{ width: `${(preview.splits[s.id].samples / total) * 100}%` }} />
      ))}
    </div>
  );
}

/** What the dataset would hold: counts, the split, and why recordings were left out. */
export function PreviewPanel({ preview, error, busy }: { preview: DatasetPreview | null; error: string | null; busy: boolean }) {
  return (
    <div className="ds-preview" data-testid="dataset-preview" aria-live="polite" aria-busy={busy}>
      <h3>
        Preview {busy && <span className="muted small">updating…</span>}
      </h3>
      {error ? (
        <p className="field-msg">{error}</p>
      ) : !preview ? (
        <p className="muted">Working out what matches…</p>
      ) : (
        <>
          <div className="ds-big">
            <div>
              <strong data-testid="preview-sessions">{preview.sessions}</strong>
              <span>{preview.sessions === 1 ? 'session' : 'sessions'}</span>
            </div>
            <div>
              <strong>{preview.acquisitions}</strong>
              <span>{preview.acquisitions === 1 ? 'transmission' : 'transmissions'}</span>
            </div>
            <div>
              <strong data-testid="preview-samples">{preview.samples}</strong>
              <span>{preview.samples === 1 ? 'sample' : 'samples'}</span>
            </div>
          </div>
          <p className="muted small">
            {preview.receivers} receivers · {fmtDuration(preview.durationSec)} of signal · {fmtBytes(preview.bytes)}
          </p>
          {preview.samples > 0 && <SplitBar preview={preview} />}
          <table className="table compact ds-split-table">
            <thead>
              <tr>
                <th>Split</th>
                <th>Sessions</th>
                <th title="Transmissions">Tx</th>
                <th>Samples</th>
              </tr>
            </thead>
            <tbody>
              {SPLITS.map((s) => (
                <tr key={s.id} data-split={s.id}>
                  <td>
                    <span className={`split-dot split-${s.id}`} /> {s.label}
                  </td>
                  <td className="mono">{preview.splits[s.id].sessions}</td>
                  <td className="mono">{preview.splits[s.id].acquisitions}</td>
                  <td className="mono">{preview.splits[s.id].samples}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.sessions === 0 && <p className="hs-warn">Nothing matches. Approve sessions on the Sessions page, or widen the filters.</p>}
          {preview.sessions > 0 && preview.sessions < 3 && <p className="muted small">With {preview.sessions} session(s) some splits stay empty: splits go by whole sessions.</p>}
          {preview.excluded.length > 0 && (
            <div className="ds-excluded">
              <span className="field-label">Left out</span>
              <ul>
                {preview.excluded.map((x) => (
                  <li key={x.reason}>
                    {x.count} {x.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </div>
  );
}

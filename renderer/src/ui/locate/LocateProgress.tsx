import { type LocateJob } from '../../../../shared/domain/locate';

/** A running (or just ended) locate job: its phase, a bar and Cancel. */
export function LocateProgress({ job, onCancel }: { job: LocateJob; onCancel: () => void }) {
  const pct = job.state === 'done' ? 100 : Math.max(0, Math.min(100, job.progress * 100));
  const phase = job.state === 'running' ? `${(job.phase || 'locating').replace(/^./, (c) => c.toUpperCase())}…` : job.state === 'done' ? '✓ Located' : job.state === 'cancelled' ? 'Cancelled' : '✗ Failed';
  return (
    <div className={`export-progress export-${job.state}`} data-testid="locate-progress" data-state={job.state}>
      <div className="export-line">
        <span className="export-phase">{phase}</span>
        <span className="mono">{Math.floor(pct)} %</span>
      </div>
      <div className="hs-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.floor(pct)} aria-label="Locate">
        <div style={{ width: `${pct}%` }} />
      </div>
      {job.message && <p className="muted small locate-job-msg">{job.message}</p>}
      {job.state === 'running' && (
        <button type="button" className="btn btn-small btn-danger" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

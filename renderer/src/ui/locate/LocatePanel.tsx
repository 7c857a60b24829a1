import { useEffect } from 'react';
import { type Session, type SessionSegment } from '../../../../shared/domain/sessions';
import { fmtDateTime } from '../format';
import { shortcutAllowed } from '../keyboard';
import { fmtDistance, fmtLatLon, type Units } from './distance';
import { CrosshairIcon } from './CrosshairIcon';
import { LocateProgress } from './LocateProgress';
import { type SessionLocate } from './useSessionLocate';

/** "whole session" or "segment 3", as a result is named in lists and headings. */
export function locateWhat(session: Session, segmentId: string | null): string {
  if (!segmentId) return 'whole session';
  const i = session.segments.findIndex((s) => s.id === segmentId);
  return i < 0 ? 'a removed segment' : `segment ${i + 1}`;
}

/**
 * The review's Locate panel: locate the whole session (L) or the chosen segment (Shift+L), follow
 * the job, see why it could not, and open earlier results.
 */
export function LocatePanel({ session, segment, units, locate }: { session: Session; segment: SessionSegment | null; units: Units; locate: SessionLocate }) {
  const { job, failure, start, cancel, running, results, listError, opening, openResult, open } = locate;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'l' && e.key !== 'L') return;
      if (!shortcutAllowed(e) || running) return;
      e.preventDefault();
      void start(e.shiftKey ? (segment?.id ?? null) : null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [start, segment, running]);

  const segIndex = segment ? session.segments.findIndex((s) => s.id === segment.id) + 1 : 0;
  return (
    <div className="panel side-panel locate-panel" data-testid="locate-panel">
      <h2>Locate the transmitter</h2>
      <p className="muted small">From the time differences of arrival between the KiwiSDRs’ GPS-stamped IQ recordings.</p>
      <div className="locate-actions">
        <button type="button" className="btn btn-primary" disabled={running} onClick={() => void start(null)} aria-keyshortcuts="L" title="Locate from the approved segments (when none is approved yet: every segment not rejected)">
          <CrosshairIcon /> Locate session <kbd>L</kbd>
        </button>
        {segment && (
          <button type="button" className="btn" disabled={running} onClick={() => void start(segment.id)} aria-keyshortcuts="Shift+L" title={`Locate from segment ${segIndex} alone`}>
            Segment {segIndex} <kbd>⇧L</kbd>
          </button>
        )}
      </div>
      {job && job.state !== 'done' && job.state !== 'failed' && <LocateProgress job={job} onCancel={() => void cancel()} />}
      {job?.state === 'done' && job.message && <p className="muted small">{job.message}</p>}
      {failure && (
        <p className="locate-error" role="alert" data-testid="locate-error">
          {failure}
        </p>
      )}
      <h3 className="locate-sub">Results</h3>
      {listError && <p className="field-msg">{listError}</p>}
      {results === null ? (
        !listError && <p className="muted small">Loading…</p>
      ) : results.length === 0 ? (
        <p className="muted small">None yet.</p>
      ) : (
        <ul className="locate-list" data-testid="locate-list">
          {results.map((r) => (
            <li key={r.id}>
              <button type="button" className={r.id === openResult?.id ? 'locate-item on' : 'locate-item'} aria-pressed={r.id === openResult?.id} disabled={opening === r.id} onClick={() => void open(r.id)}>
                <span className="locate-item-what">{locateWhat(session, r.segmentId)}</span>
                <span className="muted small">{fmtDateTime(r.createdAt)}</span>
                <span className="small mono">{r.sourceDistanceKm !== null ? `${fmtDistance(r.sourceDistanceKm, units)} from source` : fmtLatLon(r.lat, r.lon)}</span>
                <span className="muted small">{r.receiversUsed} receivers</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

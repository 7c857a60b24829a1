import { type SessionSummary } from '../../../shared/domain/sessions';
import { fmtDateTime, fmtDuration, fmtFreq } from '../ui/format';
import { StateBadge } from '../ui/StateBadge';

const FILTERS = [
  { id: 'all', label: 'All' },
  { id: 'open', label: 'Open' },
  { id: 'review', label: 'To review' },
  { id: 'done', label: 'Approved' },
] as const;
export type ListFilter = (typeof FILTERS)[number]['id'];

const matches = (s: SessionSummary, f: ListFilter) =>
  f === 'all' ? true : f === 'open' ? s.state === 'draft' || s.state === 'recording' : f === 'review' ? s.state === 'review' : s.state === 'approved';

const span = (s: SessionSummary) => (s.startedAt && s.endedAt ? (Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000 : null);

/** Session history, newest first, with state badges; a row opens the session. */
export function SessionList({ sessions, filter, onFilter, onOpen }: { sessions: SessionSummary[]; filter: ListFilter; onFilter: (f: ListFilter) => void; onOpen: (id: string) => void }) {
  const shown = sessions.filter((s) => matches(s, filter));
  const count = (f: ListFilter) => sessions.filter((s) => matches(s, f)).length;
  return (
    <>
      <div className="hs-filters" role="group" aria-label="Show sessions">
        {FILTERS.map((f) => (
          <button key={f.id} type="button" className={f.id === filter ? 'btn btn-small hs-filter on' : 'btn btn-small hs-filter'} aria-pressed={f.id === filter} onClick={() => onFilter(f.id)}>
            {f.label} <span className="hs-count">{count(f.id)}</span>
          </button>
        ))}
      </div>
      {shown.length === 0 ? (
        <p className="muted">No sessions in this view.</p>
      ) : (
        <table className="table hs-clickable" data-testid="sessions-table">
          <thead>
            <tr>
              <th>Session</th>
              <th>State</th>
              <th>Source</th>
              <th>Frequency</th>
              <th>Mode</th>
              <th>Receivers</th>
              <th>Segments</th>
              <th>Recorded</th>
              <th>Length</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.id} data-session-id={s.id} onClick={() => onOpen(s.id)}>
                <td className="strong">
                  <button type="button" className="linkish hs-rowlink" onClick={() => onOpen(s.id)}>
                    {s.name}
                  </button>
                </td>
                <td>
                  <StateBadge state={s.state} title={s.stateReason} />
                </td>
                <td>{s.sourceName ?? <span className="muted">none</span>}</td>
                <td className="mono">{fmtFreq(s.freqHz)}</td>
                <td className="mono">{s.mode.toUpperCase()}</td>
                <td className="mono">{s.receiverCount}</td>
                <td className="mono">{s.segmentCount ? `${s.approvedSegments}/${s.segmentCount} approved` : '—'}</td>
                <td>{fmtDateTime(s.startedAt ?? s.createdAt)}</td>
                <td className="mono">{fmtDuration(span(s))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

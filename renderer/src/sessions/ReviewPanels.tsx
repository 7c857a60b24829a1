import { useMemo, useState } from 'react';
import { type Session } from '../../../shared/domain/sessions';
import { useStation } from '../station/StationContext';
import { fmtDuration } from '../ui/format';

/** The review's side column: the session decision, a segment added by hand, the captures. */
export function DecisionPanel({
  session,
  pendingCount,
  approvedCount,
  busy,
  act,
}: {
  session: Session;
  pendingCount: number;
  approvedCount: number;
  busy: boolean;
  act: (what: () => Promise<Session>, failure: string) => Promise<void>;
}) {
  const station = useStation();
  const [notes, setNotes] = useState(session.notes ?? '');
  const decide = (decision: 'approved' | 'rejected' | 'review') => act(() => station.decideSession({ id: session.id, decision, notes: notes.trim() || null }), 'The decision was not saved');
  if (session.state === 'failed' || session.state === 'aborted') {
    return (
      <div className="panel side-panel">
        <h2>{session.state === 'failed' ? 'Recording failed' : 'Aborted'}</h2>
        <p>{session.stateReason ?? 'No reason was given.'}</p>
        <p className="muted small">This session cannot be approved. Create a new session to record again.</p>
      </div>
    );
  }
  const decided = session.state === 'approved' || session.state === 'rejected';
  return (
    <div className="panel side-panel" data-testid="decision-panel">
      <h2>Session decision</h2>
      {decided ? (
        <>
          <p className={session.state === 'approved' ? 'decided decided-ok' : 'decided decided-no'}>
            {session.state === 'approved' ? `✓ Approved: its ${approvedCount} approved segments can go into datasets.` : '✗ Rejected: nothing from it goes into datasets.'}
          </p>
          {session.notes && <p className="muted">{session.notes}</p>}
          <button type="button" className="btn" disabled={busy} onClick={() => void decide('review')}>
            Reopen review
          </button>
        </>
      ) : (
        <>
          <p className="muted small">
            {pendingCount > 0 ? `${pendingCount} segment${pendingCount === 1 ? '' : 's'} still pending. ` : 'Every segment is decided. '}
            Only approved recordings of an approved session go into datasets.
          </p>
          <label className="field">
            <span className="field-label">Notes on the session</span>
            <textarea name="session-notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </label>
          <div className="decide-actions">
            <button type="button" className="btn btn-primary btn-okfill" disabled={busy} onClick={() => void decide('approved')}>
              ✓ Approve session
            </button>
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void decide('rejected')}>
              ✗ Reject session
            </button>
          </div>
        </>
      )}
    </div>
  );
}

export function AddSegmentForm({ session, t0, act }: { session: Session; t0: number; act: (what: () => Promise<Session>, failure: string) => Promise<void> }) {
  const station = useStation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [label, setLabel] = useState('transmission');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const a = Number(from.replace(',', '.'));
    const b = Number(to.replace(',', '.'));
    if (!from.trim() || !to.trim() || !Number.isFinite(a) || !Number.isFinite(b) || a < 0 || b <= a) {
      setError('Enter the start and end in seconds from the start of the recording, end after start (e.g. 12.5 and 16).');
      return;
    }
    setError(null);
    void act(() => station.addSegment({ sessionId: session.id, startMs: Math.round(t0 + a * 1000), endMs: Math.round(t0 + b * 1000), label: label.trim() || 'transmission' }), 'The segment was not added').then(() => {
      setFrom('');
      setTo('');
    });
  };
  return (
    <form
      className="panel side-panel add-seg"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2>Add a segment by hand</h2>
      <p className="muted small">Seconds from the start of the recording (see the timeline).</p>
      <div className="add-seg-row">
        <label className="field">
          <span className="field-label">From (s)</span>
          <input name="from" inputMode="decimal" value={from} onChange={(e) => setFrom(e.target.value)} placeholder="12.5" />
        </label>
        <label className="field">
          <span className="field-label">To (s)</span>
          <input name="to" inputMode="decimal" value={to} onChange={(e) => setTo(e.target.value)} placeholder="16" />
        </label>
      </div>
      <div className="add-seg-row">
        <label className="field">
          <span className="field-label">Label</span>
          <input name="label" list="segment-labels" value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <button type="submit" className="btn">
          Add segment
        </button>
      </div>
      {error && <p className="field-msg">{error}</p>}
    </form>
  );
}

export function CapturesPanel({ session }: { session: Session }) {
  const byReceiver = useMemo(() => new Map(session.captures.map((c) => [c.receiverId, c])), [session.captures]);
  return (
    <div className="panel side-panel">
      <h2>Captures</h2>
      <ul className="caps">
        {session.receivers.map((r) => {
          const c = byReceiver.get(r.receiverId);
          return (
            <li key={r.receiverId} className={`cap cap-${c?.status ?? 'none'}`}>
              <div className="cap-head">
                <strong>{r.name}</strong>
                <span className={`cap-status cap-status-${c?.status ?? 'none'}`}>{c ? c.status : 'no capture'}</span>
              </div>
              {c && (
                <div className="muted small mono">
                  {fmtDuration(c.sampleRate ? c.sampleCount / c.sampleRate : null)} · {(c.sampleRate / 1000).toFixed(c.sampleRate % 1000 ? 2 : 0)} kS/s · {c.datatype}
                  {c.gpsStamped ? ' · GPS time' : ''}
                </div>
              )}
              {c?.message && c.status !== 'complete' && <div className="small cap-msg">{c.message}</div>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

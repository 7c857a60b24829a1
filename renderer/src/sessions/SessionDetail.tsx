import { useState } from 'react';
import { type Session } from '../../../shared/domain/sessions';
import { useToast } from '../ui/Toasts';
import { useStation } from '../station/StationContext';
import { errorText, fmtDateTime, fmtDuration, fmtFreq } from '../ui/format';
import { AbortDialog, RecordingView } from './RecordingView';
import { ReviewView } from './ReviewView';
import { StateBadge } from '../ui/StateBadge';

function DraftView({ session, onChanged }: { session: Session; onChanged: (s: Session) => void }) {
  const station = useStation();
  const toast = useToast();
  const [starting, setStarting] = useState(false);
  const [aborting, setAborting] = useState(false);
  const start = async () => {
    setStarting(true);
    try {
      onChanged(await station.startSession({ id: session.id }));
    } catch (e) {
      toast({ kind: 'error', text: `Recording did not start: ${errorText(e)}` });
    } finally {
      setStarting(false);
    }
  };
  return (
    <div className="draft panel" data-testid="draft-view">
      <h2>Ready to record</h2>
      <ol className="draft-steps">
        <li>Make sure the source is ready to transmit on {fmtFreq(session.freqHz)}.</li>
        <li>
          Press <strong>Start recording</strong>: {session.receivers.length === 1 ? 'the receiver records' : `all ${session.receivers.length} receivers record together`} (the Live monitor
          stops).
        </li>
        <li>
          Whenever the source transmits, hold the big marker button or <kbd>Space</kbd>; release when it stops.
        </li>
        <li>{session.durationSec ? `Recording stops by itself after ${fmtDuration(session.durationSec)}` : 'Press Stop when you are done'}; then review the segments.</li>
      </ol>
      <div className="dialog-actions">
        <button type="button" className="btn btn-ghost" onClick={() => setAborting(true)}>
          Discard…
        </button>
        <button type="button" className="btn btn-primary btn-big" onClick={() => void start()} disabled={starting} autoFocus>
          {starting ? 'Starting…' : '● Start recording'}
        </button>
      </div>
      {aborting && <AbortDialog session={session} onClose={() => setAborting(false)} onAborted={onChanged} />}
    </div>
  );
}

/** One session, whatever its state: plan, recording, review, or its outcome. */
export function SessionDetail({ session, onBack, onChanged }: { session: Session; onBack: () => void; onChanged: (s: Session) => void }) {
  const recording = session.state === 'recording';
  return (
    <div className="session" data-testid="session-detail" data-state={session.state}>
      <div className="session-head">
        <button type="button" className="btn btn-ghost btn-small" onClick={onBack} disabled={recording} title={recording ? 'Stop the recording first' : undefined}>
          ← All sessions
        </button>
        <h2 className="session-title">{session.name}</h2>
        <StateBadge state={session.state} title={session.stateReason} />
      </div>
      <p className="session-meta">
        <span>
          <span className="muted">Source</span> {session.sourceName ?? 'none'}
        </span>
        <span>
          <span className="muted">Frequency</span> <span className="mono">{fmtFreq(session.freqHz)}</span>
        </span>
        <span>
          <span className="muted">Mode</span> <span className="mono">{session.mode.toUpperCase()}{session.passband ? ` ${session.passband.lowHz}…${session.passband.highHz} Hz` : ''}</span>
        </span>
        <span>
          <span className="muted">Receivers</span> {session.receivers.map((r) => r.name).join(', ')}
        </span>
        <span>
          <span className="muted">Duration</span> {session.durationSec ? fmtDuration(session.durationSec) : 'until stopped'}
        </span>
        {session.startedAt && (
          <span>
            <span className="muted">Started</span> {fmtDateTime(session.startedAt)}
          </span>
        )}
      </p>
      {session.state === 'draft' ? (
        <DraftView session={session} onChanged={onChanged} />
      ) : recording ? (
        <RecordingView session={session} onChanged={onChanged} />
      ) : (session.state === 'failed' || session.state === 'aborted') && session.captures.length === 0 && session.segments.length === 0 ? (
        <div className="panel" data-testid="ended-view">
          <h2>{session.state === 'failed' ? 'Recording failed' : 'Aborted'}</h2>
          <p className="decided decided-no">{session.stateReason ?? 'No reason was given.'}</p>
          <p className="muted">Nothing was recorded in this session. To try again, create a new session (N on the session list).</p>
        </div>
      ) : (
        <ReviewView session={session} onChanged={onChanged} />
      )}
    </div>
  );
}

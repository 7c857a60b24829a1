import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ReviewDecision, type SegmentReview, type SegmentSpectrum, type Session, type SessionSegment } from '../../../shared/domain/sessions';
import { useToast } from '../components/Toasts';
import { useStation } from '../station/StationContext';
import { dialogOpen } from './Dialog';
import { errorText, fmtDuration, fmtOffsetHz, isTypingTarget } from './format';
import { SegmentTimeline, segmentDecision, sessionBounds } from './SegmentTimeline';
import { SpectrumPlot } from './SpectrumPlot';

const num = (v: number | null) => (v === null ? '—' : Math.abs(v) < 0.05 ? '0.0' : v.toFixed(1));
const ORIGIN_LABEL = { operator: 'your mark', detector: 'detector', manual: 'by hand' } as const;
const LABELS = ['transmission', 'carrier', 'interference', 'noise', 'unclear'];

type SpectrumEntry = SegmentSpectrum | { error: string } | 'loading';

function DecisionText({ seg }: { seg: SessionSegment }) {
  const d = segmentDecision(seg);
  const n = (x: ReviewDecision) => seg.reviews.filter((r) => r.decision === x).length;
  const text = d === 'approved' ? '✓ approved' : d === 'rejected' ? '✗ rejected' : d === 'pending' ? 'pending' : `${n('approved')} approved · ${n('rejected')} rejected · ${n('pending')} pending`;
  return (
    <span className={`dec dec-${d}`} data-testid="segment-decision">
      {text}
    </span>
  );
}

/** Review a recorded session: segments (operator marks, detector proposals), per-receiver metrics and spectra, decisions. */
export function ReviewView({ session, onChanged }: { session: Session; onChanged: (s: Session) => void }) {
  const station = useStation();
  const toast = useToast();
  const editable = session.state === 'review';
  const segments = session.segments;
  const [selected, setSelected] = useState<string | null>(segments[0]?.id ?? null);
  const [spectra, setSpectra] = useState<Record<string, SpectrumEntry>>({});
  const [busy, setBusy] = useState(false);
  const { t0 } = sessionBounds(session);
  const current = segments.find((s) => s.id === selected) ?? segments[0] ?? null;

  const act = useCallback(
    async (what: () => Promise<Session>, failure: string) => {
      setBusy(true);
      try {
        onChanged(await what());
      } catch (e) {
        toast({ kind: 'error', text: `${failure}: ${errorText(e)}` });
      } finally {
        setBusy(false);
      }
    },
    [onChanged, toast],
  );

  const review = useCallback(
    (segmentId: string, patch: { receiverId?: string; decision?: ReviewDecision; label?: string; notes?: string | null }) =>
      act(() => station.reviewSegment({ sessionId: session.id, segmentId, ...patch }), 'The review was not saved'),
    [act, station, session.id],
  );

  // Spectra of the selected segment, one per receiver that recorded it (each fetched once).
  const requested = useRef(new Set<string>());
  const [retries, setRetries] = useState(0);
  useEffect(() => {
    if (!current) return;
    for (const r of current.reviews) {
      if (!r.captureId) continue;
      const key = `${current.id}:${r.receiverId}`;
      if (requested.current.has(key)) continue;
      requested.current.add(key);
      setSpectra((m) => ({ ...m, [key]: 'loading' }));
      station.getSegmentSpectrum({ sessionId: session.id, segmentId: current.id, receiverId: r.receiverId }).then(
        (sp) => setSpectra((x) => ({ ...x, [key]: sp })),
        (e: unknown) => setSpectra((x) => ({ ...x, [key]: { error: errorText(e) } })),
      );
    }
  }, [current, station, session.id, retries]);
  const retrySpectrum = useCallback((key: string) => {
    requested.current.delete(key);
    setRetries((n) => n + 1);
  }, []);

  // Keyboard: ↑/↓ choose a segment, A approves it, R rejects it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target) || dialogOpen() || segments.length === 0) return;
      const i = Math.max(0, segments.findIndex((s) => s.id === current?.id));
      if (e.key === 'ArrowDown' || e.key === 'j') {
        e.preventDefault();
        setSelected(segments[Math.min(segments.length - 1, i + 1)]!.id);
      } else if (e.key === 'ArrowUp' || e.key === 'k') {
        e.preventDefault();
        setSelected(segments[Math.max(0, i - 1)]!.id);
      } else if (editable && current && (e.key === 'a' || e.key === 'A')) {
        e.preventDefault();
        void review(current.id, { decision: 'approved' });
      } else if (editable && current && (e.key === 'r' || e.key === 'R')) {
        e.preventDefault();
        void review(current.id, { decision: 'rejected' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [segments, current, editable, review]);

  useEffect(() => {
    if (current) document.querySelector(`[data-segment-id="${current.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const pending = segments.filter((s) => s.reviews.some((r) => r.captureId !== null && r.decision === 'pending'));
  const approvedSegs = segments.filter((s) => segmentDecision(s) === 'approved').length;

  return (
    <div className="review" data-testid="review-view">
      <div className="review-main">
        {segments.length === 0 ? (
          <div className="empty-state">
            <h2>No segments</h2>
            <p>
              Neither you nor the detector marked a transmission in this recording.{' '}
              {editable ? 'If the source did transmit, add the segment by hand (right), or reject the session.' : ''}
            </p>
          </div>
        ) : (
          <>
            <div className="panel review-panel">
              <div className="review-bar">
                <h2>Segments</h2>
                <span className="muted small">
                  {segments.length} segments · {approvedSegs} approved · {pending.length} pending · <kbd>↑</kbd>/<kbd>↓</kbd> choose
                  {editable && (
                    <>
                      , <kbd>A</kbd> approve, <kbd>R</kbd> reject
                    </>
                  )}
                </span>
                {editable && pending.length > 0 && (
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy}
                    onClick={() =>
                      void act(async () => {
                        let s = session;
                        for (const seg of pending) s = await station.reviewSegment({ sessionId: session.id, segmentId: seg.id, decision: 'approved' });
                        return s;
                      }, 'Could not approve every segment')
                    }
                  >
                    Approve all pending
                  </button>
                )}
              </div>
              <SegmentTimeline session={session} selected={current?.id ?? null} onSelect={setSelected} />
            </div>
            <div className="segs">
              {segments.map((seg, i) => (
                <SegmentCard
                  key={seg.id}
                  seg={seg}
                  index={i + 1}
                  t0={t0}
                  open={seg.id === current?.id}
                  editable={editable}
                  busy={busy}
                  freqHz={session.freqHz}
                  spectra={spectra}
                  onRetrySpectrum={retrySpectrum}
                  onSelect={() => setSelected(seg.id)}
                  onReview={(patch) => void review(seg.id, patch)}
                  onDelete={() => void act(() => station.deleteSegment({ sessionId: session.id, segmentId: seg.id }), 'The segment was not removed')}
                />
              ))}
            </div>
          </>
        )}
      </div>
      <aside className="review-side">
        <DecisionPanel session={session} pendingCount={pending.length} approvedCount={approvedSegs} busy={busy} act={act} />
        {editable && <AddSegmentForm session={session} t0={t0} act={act} />}
        <CapturesPanel session={session} />
      </aside>
    </div>
  );
}

function SegmentCard({
  seg,
  index,
  t0,
  open,
  editable,
  busy,
  freqHz,
  spectra,
  onRetrySpectrum,
  onSelect,
  onReview,
  onDelete,
}: {
  seg: SessionSegment;
  index: number;
  t0: number;
  open: boolean;
  editable: boolean;
  busy: boolean;
  freqHz: number;
  spectra: Record<string, SpectrumEntry>;
  onRetrySpectrum: (key: string) => void;
  onSelect: () => void;
  onReview: (patch: { receiverId?: string; decision?: ReviewDecision; label?: string; notes?: string | null }) => void;
  onDelete: () => void;
}) {
  const rel = (t: number) => `+${((t - t0) / 1000).toFixed(1)} s`;
  const d = segmentDecision(seg);
  // Uncontrolled inputs keyed on the saved value: a change from the station replaces what is shown.
  const saveLabel = (el: HTMLInputElement) => {
    const v = el.value.trim();
    if (v && v !== seg.label) onReview({ label: v });
    else el.value = seg.label;
  };
  const saveNotes = (el: HTMLInputElement) => {
    const v = el.value.trim() || null;
    if (v !== (seg.notes ?? null)) onReview({ notes: v });
  };
  return (
    <section className={`seg${open ? ' open' : ''} seg-${d}`} data-testid="segment" data-segment-id={seg.id} data-origin={seg.origin}>
      <header className="seg-head" onClick={onSelect}>
        <button type="button" className="seg-index" aria-expanded={open} aria-label={`Segment ${index}`} onClick={onSelect}>
          {index}
        </button>
        <span className={`origin origin-${seg.origin}`}>{ORIGIN_LABEL[seg.origin]}</span>
        <span className="mono seg-time">
          {rel(seg.startMs)} → {rel(seg.endMs)} <span className="muted">({fmtDuration((seg.endMs - seg.startMs) / 1000)})</span>
        </span>
        <span className="seg-label">{seg.label}</span>
        <DecisionText seg={seg} />
        {editable && (
          <span className="seg-actions" onClick={(e) => e.stopPropagation()}>
            <button type="button" className={d === 'approved' ? 'btn btn-small btn-ok on' : 'btn btn-small btn-ok'} disabled={busy} aria-pressed={d === 'approved'} onClick={() => onReview({ decision: 'approved' })} aria-label={`Approve segment ${index}`}>
              ✓ Approve
            </button>
            <button type="button" className={d === 'rejected' ? 'btn btn-small btn-no on' : 'btn btn-small btn-no'} disabled={busy} aria-pressed={d === 'rejected'} onClick={() => onReview({ decision: 'rejected' })} aria-label={`Reject segment ${index}`}>
              ✗ Reject
            </button>
          </span>
        )}
      </header>
      {open && (
        <div className="seg-body">
          <div className="seg-edit">
            <label className="field">
              <span className="field-label">Label</span>
              <input
                key={seg.label}
                name="label"
                list="segment-labels"
                defaultValue={seg.label}
                disabled={!editable}
                onBlur={(e) => saveLabel(e.currentTarget)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    saveLabel(e.currentTarget);
                  }
                }}
              />
              <datalist id="segment-labels">
                {LABELS.map((l) => (
                  <option key={l} value={l} />
                ))}
              </datalist>
            </label>
            <label className="field seg-notes">
              <span className="field-label">Notes</span>
              <input
                key={seg.notes ?? ''}
                name="notes"
                defaultValue={seg.notes ?? ''}
                disabled={!editable}
                placeholder="e.g. QSB, splatter from a neighbour"
                onBlur={(e) => saveNotes(e.currentTarget)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    saveNotes(e.currentTarget);
                  }
                }}
              />
            </label>
            {editable && (
              <button type="button" className="btn btn-small btn-danger" onClick={onDelete} disabled={busy}>
                Delete segment
              </button>
            )}
          </div>
          <div className="seg-rx">
            {seg.reviews.map((r) => (
              <ReceiverReview key={r.receiverId} r={r} editable={editable} busy={busy} freqHz={freqHz} spectrum={spectra[`${seg.id}:${r.receiverId}`]} onRetry={() => onRetrySpectrum(`${seg.id}:${r.receiverId}`)} onReview={onReview} />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

function ReceiverReview({
  r,
  editable,
  busy,
  freqHz,
  spectrum,
  onRetry,
  onReview,
}: {
  r: SegmentReview;
  editable: boolean;
  busy: boolean;
  freqHz: number;
  spectrum: SpectrumEntry | undefined;
  onRetry: () => void;
  onReview: (patch: { receiverId?: string; decision?: ReviewDecision }) => void;
}) {
  const snrClass = r.snrDb === null ? '' : r.snrDb >= 10 ? 'good' : r.snrDb >= 3 ? 'fair' : 'poor';
  return (
    <article className={`rxr rxr-${r.decision}`} data-testid="receiver-review" data-receiver-id={r.receiverId}>
      <header>
        <strong className="rxr-name">{r.receiverName}</strong>
        {!(editable && r.captureId) && <span className={`dec dec-${r.decision}`}>{r.decision === 'approved' ? '✓ approved' : r.decision === 'rejected' ? '✗ rejected' : 'pending'}</span>}
        {editable && r.captureId && (
          <span className="rxr-actions">
            <button type="button" className={r.decision === 'approved' ? 'btn btn-small btn-ok on' : 'btn btn-small btn-ok'} disabled={busy} aria-pressed={r.decision === 'approved'} aria-label={`Approve ${r.receiverName}`} title="Approve this receiver's recording (click again: pending)" onClick={() => onReview({ receiverId: r.receiverId, decision: r.decision === 'approved' ? 'pending' : 'approved' })}>
              ✓
            </button>
            <button type="button" className={r.decision === 'rejected' ? 'btn btn-small btn-no on' : 'btn btn-small btn-no'} disabled={busy} aria-pressed={r.decision === 'rejected'} aria-label={`Reject ${r.receiverName}`} title="Reject this receiver's recording (click again: pending)" onClick={() => onReview({ receiverId: r.receiverId, decision: r.decision === 'rejected' ? 'pending' : 'rejected' })}>
              ✗
            </button>
          </span>
        )}
      </header>
      {!r.captureId ? (
        <p className="muted">This receiver recorded nothing for this segment (see Captures).</p>
      ) : (
        <>
          <dl className="metrics">
            <div>
              <dt>SNR dB</dt>
              <dd className={`mono snr-${snrClass}`}>{num(r.snrDb)}</dd>
            </div>
            <div>
              <dt>Signal dB</dt>
              <dd className="mono">{num(r.signalPowerDb)}</dd>
            </div>
            <div>
              <dt>Noise dB</dt>
              <dd className="mono">{num(r.noisePowerDb)}</dd>
            </div>
            <div title={fmtOffsetHz(r.freqOffsetHz)}>
              <dt>Offset Hz</dt>
              <dd className="mono">{r.freqOffsetHz === null ? '—' : Math.abs(r.freqOffsetHz) >= 100 ? `${r.freqOffsetHz > 0 ? '+' : ''}${Math.round(r.freqOffsetHz)}` : `${r.freqOffsetHz >= 0.05 ? '+' : ''}${num(r.freqOffsetHz)}`}</dd>
            </div>
          </dl>
          {r.windows === 0 && <p className="muted small">No measurement window fell inside this segment: it is shorter than one window.</p>}
          <div className="spectrum-box">
            {spectrum === undefined || spectrum === 'loading' ? (
              <div className="spectrum-placeholder">Computing the spectrum…</div>
            ) : 'error' in spectrum ? (
              <div className="spectrum-placeholder spectrum-error">
                <span>No spectrum: {spectrum.error}</span>
                <button type="button" className="btn btn-small" onClick={onRetry}>
                  Try again
                </button>
              </div>
            ) : (
              <SpectrumPlot spectrum={spectrum} centerHz={freqHz} label={r.receiverName} />
            )}
          </div>
        </>
      )}
    </article>
  );
}

function DecisionPanel({
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

function AddSegmentForm({ session, t0, act }: { session: Session; t0: number; act: (what: () => Promise<Session>, failure: string) => Promise<void> }) {
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

function CapturesPanel({ session }: { session: Session }) {
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

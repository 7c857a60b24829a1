import { useCallback, useEffect, useRef, useState } from 'react';
import { type ReviewDecision, type Session } from '../../../shared/domain/sessions';
import { useToast } from '../ui/Toasts';
import { useStation } from '../station/StationContext';
import { errorText } from '../ui/format';
import { shortcutAllowed } from '../ui/keyboard';
import { SegmentTimeline, segmentDecision, sessionBounds } from './SegmentTimeline';
import { SegmentCard, type SpectrumEntry } from './SegmentCard';
import { AddSegmentForm, CapturesPanel, DecisionPanel } from './ReviewPanels';
import { createPlayCursor } from '../ui/audio/playCursor';
import { ReviewPlayer } from '../ui/audio/ReviewPlayer';
import { type ColorMapName } from '../ui/waterfall/colormaps';
import { useUnits } from '../ui/locate/distance';
import { LocatePanel, locateWhat } from '../ui/locate/LocatePanel';
import { LocateResultView } from '../ui/locate/LocateResultView';
import { useSessionLocate } from '../ui/locate/useSessionLocate';
import '../ui/locate/locate.css';

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
  const [cursor] = useState(createPlayCursor);
  const [colors, setColors] = useState<ColorMapName>('viridis');
  const units = useUnits();
  const locate = useSessionLocate(session.id);
  useEffect(() => {
    station.getSettings().then((s) => setColors(s.colorMap), () => undefined);
  }, [station]);

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
      if (!shortcutAllowed(e) || segments.length === 0) return;
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
        {locate.openResult && <LocateResultView result={locate.openResult} what={locateWhat(session, locate.openResult.segmentId)} units={units} onClose={locate.close} />}
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
              <SegmentTimeline session={session} selected={current?.id ?? null} onSelect={setSelected} cursor={cursor} />
              {current && <ReviewPlayer key={current.id} session={session} segment={current} colors={colors} cursor={cursor} />}
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
                  onLocate={locate.running ? undefined : () => void locate.start(seg.id)}
                />
              ))}
            </div>
          </>
        )}
      </div>
      <aside className="review-side">
        <DecisionPanel session={session} pendingCount={pending.length} approvedCount={approvedSegs} busy={busy} act={act} />
        <LocatePanel session={session} segment={current} units={units} locate={locate} />
        {editable && <AddSegmentForm session={session} t0={t0} act={act} />}
        <CapturesPanel session={session} />
      </aside>
    </div>
  );
}

import { useEffect, useRef } from 'react';
import { type Session, type SessionSegment } from '../../../shared/domain/sessions';
import { type PlayCursor } from '../ui/audio/playCursor';

const LANES = [
  { origin: 'operator', label: 'Your marks' },
  { origin: 'detector', label: 'Detector' },
  { origin: 'manual', label: 'Added by hand' },
] as const;

export function sessionBounds(session: Session): { t0: number; t1: number } {
  const t0 = session.startedAt ? Date.parse(session.startedAt) : Math.min(...session.segments.map((s) => s.startMs), Date.now());
  const ends = session.segments.map((s) => s.endMs);
  const t1 = Math.max(session.endedAt ? Date.parse(session.endedAt) : 0, ...ends, t0 + 1000);
  return { t0, t1 };
}

export function segmentDecision(seg: SessionSegment): 'approved' | 'rejected' | 'pending' | 'mixed' {
  const withRec = seg.reviews.filter((r) => r.captureId !== null);
  const list = withRec.length ? withRec : seg.reviews;
  if (list.length === 0) return 'pending';
  if (list.every((r) => r.decision === 'approved')) return 'approved';
  if (list.every((r) => r.decision === 'rejected')) return 'rejected';
  if (list.every((r) => r.decision === 'pending')) return 'pending';
  return 'mixed';
}

/** The session's span with every segment on its lane (operator marks vs detector proposals), clickable; the play cursor while review audio plays. */
export function SegmentTimeline({ session, selected, onSelect, cursor }: { session: Session; selected: string | null; onSelect: (id: string) => void; cursor?: PlayCursor }) {
  const { t0, t1 } = sessionBounds(session);
  const root = useRef<HTMLDivElement>(null);
  // The cursor moves on animation frames without re-rendering the timeline.
  useEffect(() => {
    const el = root.current;
    if (!el || !cursor) return;
    const draw = () => {
      const at = cursor.get();
      for (const c of el.querySelectorAll<HTMLElement>('.tl-cursor')) {
        c.hidden = at === null;
        if (at !== null) c.style.left = `${((at - t0) / (t1 - t0)) * 100}%`;
      }
      if (at === null) delete el.dataset.cursorMs;
      else el.dataset.cursorMs = String(Math.round(at));
    };
    draw();
    return cursor.subscribe(draw);
  }, [cursor, t0, t1]);
  const span = t1 - t0;
  const pct = (t: number) => `${((t - t0) / span) * 100}%`;
  const stepS = span > 600_000 ? 60 : span > 120_000 ? 20 : span > 40_000 ? 10 : 5;
  const ticks: number[] = [];
  for (let s = 0; s * 1000 <= span; s += stepS) ticks.push(s);
  const lanes = LANES.filter((l) => l.origin !== 'manual' || session.segments.some((s) => s.origin === 'manual'));
  const index = new Map(session.segments.map((s, i) => [s.id, i + 1]));
  return (
    <div className="tl" data-testid="timeline" ref={root}>
      {lanes.map((lane) => (
        <div key={lane.origin} className="tl-lane">
          <span className="tl-label">{lane.label}</span>
          <div className="tl-track">
            {session.segments
              .filter((s) => s.origin === lane.origin)
              .map((s) => (
                <button
                  key={s.id}
                  type="button"
                  className={`tl-seg tl-${s.origin} tl-dec-${segmentDecision(s)}${s.id === selected ? ' on' : ''}`}
                  style={{ left: pct(s.startMs), width: `max(6px, ${((s.endMs - s.startMs) / span) * 100}%)` }}
                  title={`#${index.get(s.id)} ${s.label}: +${((s.startMs - t0) / 1000).toFixed(1)} s, ${((s.endMs - s.startMs) / 1000).toFixed(1)} s`}
                  aria-label={`Segment ${index.get(s.id)} (${s.origin})`}
                  onClick={() => onSelect(s.id)}
                >
                  {index.get(s.id)}
                </button>
              ))}
            <span className="tl-cursor" hidden aria-hidden="true" />
          </div>
        </div>
      ))}
      <div className="tl-lane tl-axis" aria-hidden="true">
        <span className="tl-label" />
        <div className="tl-track">
          {ticks.map((s) => (
            <span key={s} className="tl-tick mono" style={{ left: pct(t0 + s * 1000) }}>
              {s} s
            </span>
          ))}
        </div>
      </div>
    </div>
  );
}

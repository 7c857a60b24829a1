/**
 * The passband as web SDR UIs show it: a shaded band over the waterfall from dial + low to
 * dial + high, with edges the operator drags (each edge alone, or the whole band by its middle
 * with Shift). Drawing and pointer handling for any waterfall whose frequency range is known.
 */
import { type ListenSettings } from '../../../../shared/domain/audio';

export interface HzRange {
  lo: number;
  hi: number;
}

export const PASSBAND_FILL = 'rgba(255, 214, 10, 0.17)';
export const PASSBAND_EDGE = 'rgba(255, 214, 10, 0.95)';
/** How close (CSS px) the pointer must be to an edge to grab it. */
const GRAB_PX = 7;
/**
 * A band narrower than this on screen (CSS px) has no grips: a drag there pans the waterfall, as it
 * does anywhere else; zoom in to move the edges.
 */
export const MIN_GRAB_WIDTH_PX = 24;
const MIN_WIDTH_HZ = 50;

const x = (hz: number, r: HzRange, w: number) => ((hz - r.lo) / (r.hi - r.lo)) * w;

/** Draws the band on a cleared or marker-carrying canvas (device pixels). */
export function drawPassband(ctx: CanvasRenderingContext2D, width: number, height: number, dpr: number, range: HzRange | null, dialHz: number | null, listen: ListenSettings | null, editable: boolean): void {
  if (!range || dialHz === null || !listen || range.hi <= range.lo) return;
  let x0 = x(dialHz + listen.lowHz, range, width);
  let x1 = x(dialHz + listen.highHz, range, width);
  if (x1 < 0 || x0 > width) return;
  // Never thinner than 3 px: on a 2.4 MHz wide waterfall a voice channel is less than one pixel.
  const minW = 3 * dpr;
  if (x1 - x0 < minW) {
    const c = (x0 + x1) / 2;
    x0 = c - minW / 2;
    x1 = c + minW / 2;
  }
  ctx.fillStyle = PASSBAND_FILL;
  ctx.fillRect(x0, 0, x1 - x0, height);
  ctx.fillStyle = PASSBAND_EDGE;
  const lw = Math.max(1, Math.round(dpr * 1.5));
  ctx.fillRect(Math.round(x0), 0, lw, height);
  ctx.fillRect(Math.round(x1) - lw, 0, lw, height);
  if (editable && x1 - x0 >= MIN_GRAB_WIDTH_PX * dpr) {
    // Grips at mid-height: these edges move.
    const h = 14 * dpr;
    const y = height / 2 - h / 2;
    ctx.fillRect(Math.round(x0) - 2 * dpr, y, 4 * dpr + lw, h);
    ctx.fillRect(Math.round(x1) - 2 * dpr - lw, y, 4 * dpr + lw, h);
  }
}

/** Whether a click on `el` is the tail of a passband drag (and so not a click). */
export function justDraggedPassband(el: HTMLElement): boolean {
  return Date.now() - Number(el.dataset.passbandDragEnd ?? 0) < 400;
}

export interface PassbandDragOptions {
  range: () => HzRange | null;
  dialHz: () => number | null;
  listen: () => ListenSettings | null;
  editable: () => boolean;
  /** Every move (commit false) and the release (commit true). */
  onChange: (l: ListenSettings, commit: boolean) => void;
}

/**
 * Edge dragging on `el` (the element the waterfall and its overlays sit in). Listens in the capture
 * phase and stops the events it uses, so grabbing an edge never tunes or pans the waterfall.
 */
export function attachPassbandDrag(el: HTMLElement, o: PassbandDragOptions): () => void {
  let drag: { id: number; edge: 'low' | 'high' | 'both'; startHz: number; start: ListenSettings } | null = null;

  const hzAt = (clientX: number): number | null => {
    const r = o.range();
    const rect = el.getBoundingClientRect();
    if (!r || rect.width <= 0) return null;
    return r.lo + ((clientX - rect.left) / rect.width) * (r.hi - r.lo);
  };
  const edgeAt = (clientX: number, shift: boolean): 'low' | 'high' | 'both' | null => {
    const r = o.range();
    const dial = o.dialHz();
    const l = o.listen();
    if (!r || dial === null || !l || !o.editable()) return null;
    const rect = el.getBoundingClientRect();
    const px = clientX - rect.left;
    const lo = x(dial + l.lowHz, r, rect.width);
    const hi = x(dial + l.highHz, r, rect.width);
    if (hi - lo < MIN_GRAB_WIDTH_PX) return null;
    if (shift && px > lo - GRAB_PX && px < hi + GRAB_PX) return 'both';
    const dLo = Math.abs(px - lo);
    const dHi = Math.abs(px - hi);
    if (Math.min(dLo, dHi) > GRAB_PX) return null;
    // Edges closer than the grab distance: the side of the band the pointer is on decides.
    if (Math.abs(dLo - dHi) < 1) return px < (lo + hi) / 2 ? 'low' : 'high';
    return dLo < dHi ? 'low' : 'high';
  };

  const next = (clientX: number): ListenSettings | null => {
    if (!drag) return null;
    const hz = hzAt(clientX);
    const dial = o.dialHz();
    if (hz === null || dial === null) return null;
    const s = drag.start;
    const off = Math.round(hz - dial);
    if (drag.edge === 'low') return { ...s, lowHz: Math.min(off, s.highHz - MIN_WIDTH_HZ) };
    if (drag.edge === 'high') return { ...s, highHz: Math.max(off, s.lowHz + MIN_WIDTH_HZ) };
    const d = Math.round(hz - drag.startHz);
    return { ...s, lowHz: s.lowHz + d, highHz: s.highHz + d };
  };

  const onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const edge = edgeAt(e.clientX, e.shiftKey);
    const l = o.listen();
    const hz = hzAt(e.clientX);
    if (!edge || !l || hz === null) return;
    e.stopImmediatePropagation();
    e.preventDefault();
    drag = { id: e.pointerId, edge, startHz: hz, start: l };
    el.setPointerCapture(e.pointerId);
    el.classList.add('is-dragging-passband');
  };
  const onMove = (e: PointerEvent) => {
    if (!drag) {
      el.classList.toggle('over-passband-edge', edgeAt(e.clientX, e.shiftKey) !== null);
      return;
    }
    if (e.pointerId !== drag.id) return;
    e.stopImmediatePropagation();
    const l = next(e.clientX);
    if (l) o.onChange(l, false);
  };
  const onUp = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    e.stopImmediatePropagation();
    const l = next(e.clientX);
    drag = null;
    el.classList.remove('is-dragging-passband');
    // The click that follows this release is the end of a drag, not a click on the waterfall.
    el.dataset.passbandDragEnd = String(Date.now());
    if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
    if (l) o.onChange(l, true);
  };
  el.addEventListener('pointerdown', onDown, { capture: true });
  el.addEventListener('pointermove', onMove, { capture: true });
  el.addEventListener('pointerup', onUp, { capture: true });
  el.addEventListener('pointercancel', onUp, { capture: true });
  return () => {
    el.removeEventListener('pointerdown', onDown, { capture: true });
    el.removeEventListener('pointermove', onMove, { capture: true });
    el.removeEventListener('pointerup', onUp, { capture: true });
    el.removeEventListener('pointercancel', onUp, { capture: true });
  };
}

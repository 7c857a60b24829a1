/**
 * Mouse and touch on anything drawn against the shared frequency view (a waterfall, the spectrum):
 * hover moves the shared cursor, the wheel zooms around the pointer (sideways wheel or Shift pans),
 * dragging pans a zoomed view, and a click without a drag tunes to the frequency clicked.
 */
import { cursorStepHz, pointerResolutionHz, snapHz, spanOf, xToHz, type FreqRange } from '../ui/frequencyView';
import { type LiveView } from './liveView';

let lastPageScroll = 0;
let scrollWatch = false;
/** A wheel that is scrolling the page must not turn into a zoom when a waterfall slides under it. */
function watchPageScroll(): void {
  if (scrollWatch) return;
  scrollWatch = true;
  window.addEventListener('scroll', () => (lastPageScroll = performance.now()), { capture: true, passive: true });
}

const DRAG_PX = 4;

export function attachFrequencyPointer(
  el: HTMLElement,
  opts: { view: LiveView; receiverId: string | null; onTune: (hz: number) => void },
): () => void {
  const { view, receiverId } = opts;
  watchPageScroll();
  let down: { id: number; x: number; range: FreqRange; dragging: boolean } | null = null;

  const at = (clientX: number) => {
    const rect = el.getBoundingClientRect();
    const range = view.rangeOf(receiverId);
    if (!range || rect.width <= 0) return null;
    const x = Math.min(Math.max(clientX - rect.left, 0), rect.width);
    return { x, width: rect.width, range, hz: snapHz(xToHz(x, range, rect.width), pointerResolutionHz(range, rect.width)) };
  };

  const onMove = (e: PointerEvent) => {
    const p = at(e.clientX);
    if (!p) return;
    if (down && down.id === e.pointerId) {
      const dx = e.clientX - down.x;
      if (!down.dragging && Math.abs(dx) > DRAG_PX) down.dragging = true;
      if (down.dragging && view.zoomed) {
        const hzPerPx = spanOf(down.range) / p.width;
        view.setFreq({ lo: down.range.lo - dx * hzPerPx, hi: down.range.hi - dx * hzPerPx });
      }
    }
    view.setCursor(p.hz);
  };
  const onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const range = view.rangeOf(receiverId);
    if (!range) return;
    down = { id: e.pointerId, x: e.clientX, range, dragging: false };
    el.setPointerCapture(e.pointerId);
    el.classList.add('is-pressed');
  };
  const onUp = (e: PointerEvent) => {
    if (!down || down.id !== e.pointerId) return;
    const wasDrag = down.dragging;
    down = null;
    el.classList.remove('is-pressed');
    if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
    if (wasDrag) return;
    const p = at(e.clientX);
    if (p) opts.onTune(p.hz);
  };
  const onCancel = () => {
    down = null;
    el.classList.remove('is-pressed');
  };
  const onLeave = () => {
    if (!down) view.setCursor(null);
  };
  const onWheel = (e: WheelEvent) => {
    if (performance.now() - lastPageScroll < 400) return; // the page is scrolling: let it
    const p = at(e.clientX);
    if (!p) return;
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? p.width : 1;
    const dx = (e.shiftKey ? e.deltaY : e.deltaX) * unit;
    const dy = e.shiftKey ? 0 : e.deltaY * unit;
    if (Math.abs(dx) > Math.abs(dy)) view.pan((dx * spanOf(p.range)) / p.width);
    else view.zoom(Math.exp(-dy * 0.002), xToHz(p.x, p.range, p.width), receiverId);
    view.setCursor(p.hz);
  };

  el.addEventListener('pointermove', onMove);
  el.addEventListener('pointerdown', onDown);
  el.addEventListener('pointerup', onUp);
  el.addEventListener('pointercancel', onCancel);
  el.addEventListener('pointerleave', onLeave);
  el.addEventListener('wheel', onWheel, { passive: false });
  return () => {
    el.removeEventListener('pointermove', onMove);
    el.removeEventListener('pointerdown', onDown);
    el.removeEventListener('pointerup', onUp);
    el.removeEventListener('pointercancel', onCancel);
    el.removeEventListener('pointerleave', onLeave);
    el.removeEventListener('wheel', onWheel);
  };
}

/**
 * Keys on a focused waterfall (keyboard users tune without a mouse): arrows move the cursor (Shift:
 * ten steps) and pan a zoomed view to keep it in sight, Home puts it on the dial, Enter tunes to it,
 * Escape hides it; Page Up/Down scroll back and forth in time (pausing). Returns whether the key was used.
 */
export function handleFrequencyKey(e: KeyboardEvent, view: LiveView, receiverId: string | null, onTune: (hz: number) => void): boolean {
  if (e.altKey || e.ctrlKey || e.metaKey) return false;
  const range = view.rangeOf(receiverId);
  if (!range) return false;
  const start = () => view.cursorHz ?? (view.dialHz !== null && view.dialHz >= range.lo && view.dialHz <= range.hi ? view.dialHz : (range.lo + range.hi) / 2);
  switch (e.key) {
    case 'ArrowLeft':
    case 'ArrowRight': {
      const step = cursorStepHz(range) * (e.shiftKey ? 10 : 1);
      const limits = view.limits();
      let hz = snapHz(start(), step) + (e.key === 'ArrowRight' ? step : -step);
      if (limits) hz = Math.min(Math.max(hz, limits.bounds.lo), limits.bounds.hi);
      view.setCursor(hz);
      view.reveal(hz);
      return true;
    }
    case 'Home':
      if (view.dialHz !== null) {
        view.setCursor(view.dialHz);
        view.reveal(view.dialHz);
      }
      return true;
    case 'Enter':
      if (view.cursorHz === null) view.setCursor(start());
      else onTune(view.cursorHz);
      return true;
    case 'PageUp':
      view.scrollBy(view.visibleRows / 4);
      return true;
    case 'PageDown':
      view.scrollBy(-view.visibleRows / 4);
      return true;
    case 'Escape':
      if (view.cursorHz === null) return false;
      view.setCursor(null);
      return true;
    default:
      return false;
  }
}

/**
 * Markers drawn over a waterfall on a transparent canvas at screen resolution: the dial (a red notch
 * at the top edge and a tick at the bottom, clear of the signal) and the shared cursor (white on a dark outline, so it reads on every
 * colour of the map) with its frequency in a label box.
 */
import { formatDialMHz, hzToX, snapHz, type FreqRange } from '../ui/frequencyView';

export const CURSOR_COLOUR = '#ffffff';
export const DIAL_COLOUR = '#ff5d5d';

export function drawMarkers(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  dpr: number,
  range: FreqRange | null,
  dialHz: number | null,
  cursorHz: number | null,
  cursorResolutionHz: number,
  paused = false,
): void {
  ctx.clearRect(0, 0, width, height);
  if (paused) {
    ctx.font = `700 ${Math.round(13 * dpr)}px system-ui, sans-serif`;
    const text = 'PAUSED';
    const w = ctx.measureText(text).width + 12 * dpr;
    const h = 22 * dpr;
    ctx.fillStyle = 'rgba(255, 176, 32, 0.92)';
    ctx.fillRect(width - w - 6 * dpr, height - h - 6 * dpr, w, h);
    ctx.fillStyle = '#1a1204';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, width - w, height - h / 2 - 6 * dpr + dpr);
  }
  if (!range) return;
  const inView = (hz: number) => hz >= range.lo && hz <= range.hi;
  if (dialHz !== null && inView(dialHz)) {
    // A notch at the top and a tick at the bottom, never a line through the signal being watched.
    const x = Math.round(hzToX(dialHz, range, width));
    const t = 8 * dpr;
    const w = Math.max(2, Math.round(2 * dpr));
    ctx.fillStyle = 'rgba(0, 0, 0, 0.75)';
    ctx.beginPath();
    ctx.moveTo(x - t - dpr, 0);
    ctx.lineTo(x + t + dpr + w, 0);
    ctx.lineTo(x + w / 2, t * 1.5 + dpr);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = DIAL_COLOUR;
    ctx.beginPath();
    ctx.moveTo(x - t, 0);
    ctx.lineTo(x + t + w, 0);
    ctx.lineTo(x + w / 2, t * 1.5);
    ctx.closePath();
    ctx.fill();
    ctx.fillRect(x, 0, w, 18 * dpr);
    ctx.fillRect(x, height - 10 * dpr, w, 10 * dpr);
  }
  if (cursorHz !== null && inView(cursorHz)) {
    const x = Math.round(hzToX(cursorHz, range, width));
    // One white pixel with a dark one beside it, both see-through: visible on every colour of the
    // map, and a signal under the cursor still shows through.
    const px = Math.max(1, Math.round(dpr));
    ctx.fillStyle = 'rgba(0, 0, 0, 0.45)';
    ctx.fillRect(x - px, 0, px, height);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.75)';
    ctx.fillRect(x, 0, px, height);
    const text = `${formatDialMHz(snapHz(cursorHz, cursorResolutionHz))} MHz`;
    ctx.font = `600 ${Math.round(14 * dpr)}px system-ui, sans-serif`;
    const tw = ctx.measureText(text).width;
    const pad = 6 * dpr;
    const bw = tw + pad * 2;
    const bh = 22 * dpr;
    // Beside the line, on whichever side has room.
    const bx = x + 6 * dpr + bw <= width ? x + 6 * dpr : x - 6 * dpr - bw;
    const by = 14 * dpr;
    ctx.fillStyle = 'rgba(8, 12, 16, 0.88)';
    ctx.fillRect(bx, by, bw, bh);
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.55)';
    ctx.lineWidth = dpr;
    ctx.strokeRect(bx + 0.5, by + 0.5, bw - 1, bh - 1);
    ctx.fillStyle = CURSOR_COLOUR;
    ctx.textBaseline = 'middle';
    ctx.fillText(text, bx + pad, by + bh / 2 + dpr);
  }
}

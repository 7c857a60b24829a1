import { traceLines } from '../map/drawLines';
import { toScreen, type MapView } from '../map/mercator';
import { BAD_RECEIVER, CONTOUR_COLOUR, FIX_COLOUR, GOOD_RECEIVER, HALO, SOURCE_COLOUR } from './locateColours';
import { type PreparedLocate } from './prepareLocate';

/** Screen boxes already holding a label: a label that would overlap one is left out. */
export type Placed = [number, number, number, number][];

/** A fresh Placed list that already holds the map's buttons (top right), so no label hides under them. */
export const placedWithControls = (w: number): Placed => [[w - 300, 0, w, 52]];

const FONT = '13px system-ui, sans-serif';

function fits(box: [number, number, number, number], placed: Placed): boolean {
  return !placed.some((p) => box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1]);
}

function paintLabel(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, colour: string): void {
  ctx.lineWidth = 4;
  ctx.strokeStyle = HALO;
  ctx.lineJoin = 'round';
  ctx.strokeText(text, x, y);
  ctx.fillStyle = colour;
  ctx.fillText(text, x, y);
}

const labelBox = (x: number, y: number, tw: number): [number, number, number, number] => [x - 1, y - 12, x + tw + 1, y + 4];

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, colour: string, placed: Placed): boolean {
  const box = labelBox(x, y, ctx.measureText(text).width);
  if (!fits(box, placed)) return false;
  placed.push(box);
  paintLabel(ctx, text, x, y, colour);
  return true;
}

/** The heatmap image, scaled to the view (smoothed: the grid is a sampling of a smooth field). */
export function drawHeat(ctx: CanvasRenderingContext2D, p: PreparedLocate, view: MapView, w: number, h: number): void {
  const heat = p.heat;
  if (!heat) return;
  const left = w / 2 + (heat.x0 - view.cx) * view.scale;
  const right = w / 2 + (heat.x1 - view.cx) * view.scale;
  const top = h / 2 - (heat.y1 - view.cy) * view.scale;
  const bottom = h / 2 - (heat.y0 - view.cy) * view.scale;
  if (right < 0 || left > w || bottom < 0 || top > h) return;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'medium';
  // Only the visible part: zoomed on a fix the whole image would be hundreds of thousands of pixels wide.
  const { width: iw, height: ih } = heat.image;
  const kx = iw / (right - left);
  const ky = ih / (bottom - top);
  const dx0 = Math.max(0, left);
  const dy0 = Math.max(0, top);
  const dx1 = Math.min(w, right);
  const dy1 = Math.min(h, bottom);
  ctx.drawImage(heat.image, (dx0 - left) * kx, (dy0 - top) * ky, (dx1 - dx0) * kx, (dy1 - dy0) * ky, dx0, dy0, dx1 - dx0, dy1 - dy0);
}

/** Each pair's hyperbola in its colour; the highlighted one thick, the others dimmed. */
export function drawHyperbolaLines(ctx: CanvasRenderingContext2D, p: PreparedLocate, view: MapView, w: number, h: number, highlight: string | null): void {
  for (const hy of p.hyperbolas) {
    const on = highlight === hy.key;
    ctx.globalAlpha = highlight && !on ? 0.3 : 0.95;
    ctx.lineWidth = on ? 3 : 1.5;
    ctx.strokeStyle = hy.colour;
    ctx.setLineDash(hy.dash);
    ctx.beginPath();
    traceLines(ctx, hy.lines, view, w, h);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

/** Pair names where the hyperbolas have spread apart: the visible point of each line farthest from the fix. */
export function drawHyperbolaLabels(ctx: CanvasRenderingContext2D, p: PreparedLocate, view: MapView, w: number, h: number, highlight: string | null, placed: Placed): void {
  const [fx, fy] = toScreen(view, w, h, p.result.position.lon, p.result.position.lat);
  ctx.font = FONT;
  for (const hy of p.hyperbolas) {
    if (highlight && highlight !== hy.key) continue;
    let best: [number, number, number] | null = null;
    for (const l of hy.lines) {
      for (let i = 0; i < l.xy.length; i += 2) {
        const x = w / 2 + (l.xy[i]! - view.cx) * view.scale;
        const y = h / 2 - (l.xy[i + 1]! - view.cy) * view.scale;
        if (x < 30 || x > w - 110 || y < 44 || y > h - 16) continue;
        const d = Math.hypot(x - fx, y - fy);
        if (!best || d > best[2]) best = [x, y, d];
      }
    }
    if (best && best[2] > 40) label(ctx, hy.label, best[0] + 4, best[1] - 4, hy.colour, placed);
  }
}

/** Confidence regions: the inner one solid, the outer ones dashed, white on a dark halo. */
export function drawContours(ctx: CanvasRenderingContext2D, p: PreparedLocate, view: MapView, w: number, h: number): void {
  const sorted = [...p.contours].sort((a, b) => a.confidence - b.confidence);
  sorted.forEach((c, i) => {
    const dash = i === 0 ? [] : [6, 4];
    ctx.beginPath();
    traceLines(ctx, c.lines, view, w, h);
    ctx.setLineDash(dash);
    ctx.lineWidth = 4;
    ctx.strokeStyle = HALO;
    ctx.globalAlpha = 0.6;
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.lineWidth = i === 0 ? 2 : 1.5;
    ctx.strokeStyle = CONTOUR_COLOUR;
    ctx.stroke();
  });
  ctx.setLineDash([]);
}

/** Receivers as the result judged them: good ones filled green, bad ones hollow grey with a cross. */
export function drawJudgedReceivers(ctx: CanvasRenderingContext2D, p: PreparedLocate, view: MapView, w: number, h: number, placed: Placed): void {
  ctx.font = FONT;
  const on = p.receivers.filter((r) => r.lat !== null && r.lon !== null);
  const spots = on.map((r) => toScreen(view, w, h, r.lon!, r.lat!));
  for (const [x, y] of spots) placed.push([x - 8, y - 8, x + 8, y + 8]);
  on.forEach((r, i) => {
    const [x, y] = spots[i]!;
    ctx.beginPath();
    ctx.arc(x, y, 6.5, 0, Math.PI * 2);
    if (r.status === 'good') {
      ctx.fillStyle = GOOD_RECEIVER;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = HALO;
      ctx.stroke();
    } else {
      ctx.fillStyle = HALO;
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = BAD_RECEIVER;
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x - 3.5, y - 3.5);
      ctx.lineTo(x + 3.5, y + 3.5);
      ctx.moveTo(x + 3.5, y - 3.5);
      ctx.lineTo(x - 3.5, y + 3.5);
      ctx.stroke();
    }
    label(ctx, r.label, x + 10, y + 4, r.status === 'good' ? '#e3eaf2' : BAD_RECEIVER, placed);
  });
}

/** The known source (red diamond), a dotted line from the fix to it and the distance. */
export function drawSource(ctx: CanvasRenderingContext2D, p: PreparedLocate, view: MapView, w: number, h: number, distanceText: string | null, placed: Placed): void {
  const src = p.result.source;
  if (!src) return;
  const [x, y] = toScreen(view, w, h, src.lon, src.lat);
  const [fx, fy] = toScreen(view, w, h, p.result.position.lon, p.result.position.lat);
  if (Math.hypot(x - fx, y - fy) > 14) {
    ctx.beginPath();
    ctx.moveTo(fx, fy);
    ctx.lineTo(x, y);
    ctx.setLineDash([2, 3]);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = SOURCE_COLOUR;
    ctx.stroke();
    ctx.setLineDash([]);
  }
  drawSourceMarker(ctx, x, y);
  ctx.font = FONT;
  // The distance is what the operator came for: the label goes beside both markers, on the first
  // side where it overlaps nothing (right, left, below, above), else on the right regardless.
  const text = distanceText ? `${src.name} · ${distanceText} from the fix` : src.name;
  const tw = ctx.measureText(text).width;
  const candidates: [number, number][] = [
    [Math.max(x, fx) + 22, y + 4],
    [Math.min(x, fx) - 22 - tw, y + 4],
    [x - tw / 2, Math.max(y, fy) + 32],
    [x - tw / 2, Math.min(y, fy) - 22],
  ];
  const [lx, ly] = candidates.find(([cx, cy]) => cx >= 4 && cx + tw <= w - 4 && cy >= 16 && cy <= h - 6 && fits(labelBox(cx, cy, tw), placed)) ?? candidates[0]!;
  placed.push(labelBox(lx, ly, tw));
  // On a plate, not a halo: lines passing under the gaps between words would read as dots.
  ctx.fillStyle = 'rgba(11, 15, 20, 0.78)';
  ctx.beginPath();
  ctx.roundRect(lx - 5, ly - 14, tw + 10, 19, 4);
  ctx.fill();
  ctx.fillStyle = '#ffc9c9';
  ctx.fillText(text, lx, ly);
}

/** The fix: a ring with ticks, open in the middle so the heatmap's hottest cell stays visible. */
export function drawFix(ctx: CanvasRenderingContext2D, p: PreparedLocate, view: MapView, w: number, h: number, placed: Placed): void {
  const [x, y] = toScreen(view, w, h, p.result.position.lon, p.result.position.lat);
  const ring = () => {
    ctx.beginPath();
    ctx.arc(x, y, 9, 0, Math.PI * 2);
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
      ctx.moveTo(x + dx * 9, y + dy * 9);
      ctx.lineTo(x + dx * 16, y + dy * 16);
    }
  };
  ring();
  ctx.lineWidth = 5;
  ctx.strokeStyle = HALO;
  ctx.stroke();
  ring();
  ctx.lineWidth = 2;
  ctx.strokeStyle = FIX_COLOUR;
  ctx.stroke();
  ctx.font = FONT;
  placed.push([x - 17, y - 17, x + 17, y + 17]);
  label(ctx, 'fix', x + 18, y - 8, FIX_COLOUR, placed);
}

/** A known source: the red diamond every map draws for it. */
export function drawSourceMarker(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  ctx.beginPath();
  ctx.moveTo(x, y - 8);
  ctx.lineTo(x + 8, y);
  ctx.lineTo(x, y + 8);
  ctx.lineTo(x - 8, y);
  ctx.closePath();
  ctx.fillStyle = SOURCE_COLOUR;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = HALO;
  ctx.stroke();
}

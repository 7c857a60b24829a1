import { useEffect, useRef, useState } from 'react';
import { type SegmentSpectrum } from '../../../shared/domain/sessions';

/** Tick step (Hz) giving about `want` ticks across `span`. */
function niceStep(span: number, want: number): number {
  const raw = span / want;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

const fmtOffset = (raw: number) => {
  const hz = Math.abs(raw) >= 1000 ? Math.round(raw / 100) * 100 : Math.round(raw);
  const a = Math.abs(hz);
  const s = hz > 0 ? '+' : hz < 0 ? '−' : '';
  return a >= 1000 ? `${s}${(a / 1000).toFixed(a % 1000 === 0 ? 0 : 1)} kHz` : `${s}${Math.round(a)} Hz`;
};

/**
 * One receiver's Welch spectrum of a segment: power (dB) against the offset from the session
 * frequency, with the detected peak marked.
 */
export function SpectrumPlot({ spectrum, centerHz, label }: { spectrum: SegmentSpectrum; centerHz: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const el = canvas.current?.parentElement;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const W = width;
    const H = 150;
    el.width = Math.round(W * dpr);
    el.height = Math.round(H * dpr);
    el.style.width = `${W}px`;
    el.style.height = `${H}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const pad = { l: 36, r: 12, t: 8, b: 20 };
    const pw = W - pad.l - pad.r;
    const ph = H - pad.t - pad.b;
    ctx.fillStyle = '#070b10';
    ctx.fillRect(0, 0, W, H);
    const db = spectrum.db;
    if (db.length < 2) {
      ctx.fillStyle = '#8a9bb0';
      ctx.font = '13px system-ui, sans-serif';
      ctx.fillText('No spectrum: the capture has no samples in this segment.', pad.l, H / 2);
      el.dataset.drawn = '0';
      return;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of db) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    lo = Math.floor((lo - 3) / 10) * 10;
    hi = Math.ceil((hi + 3) / 10) * 10;
    if (hi - lo < 20) hi = lo + 20;
    const f0 = spectrum.startHz - centerHz;
    const f1 = f0 + spectrum.binHz * (db.length - 1);
    const x = (off: number) => pad.l + ((off - f0) / (f1 - f0)) * pw;
    const y = (v: number) => pad.t + ((hi - v) / (hi - lo)) * ph;

    ctx.font = '11px ui-monospace, monospace';
    ctx.lineWidth = 1;
    // Grid: every 10 dB, nice frequency steps.
    const dbStep = hi - lo > 60 ? 20 : 10;
    ctx.strokeStyle = '#1c2734';
    ctx.fillStyle = '#8a9bb0';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let v = lo; v <= hi; v += dbStep) {
      ctx.beginPath();
      ctx.moveTo(pad.l, Math.round(y(v)) + 0.5);
      ctx.lineTo(W - pad.r, Math.round(y(v)) + 0.5);
      ctx.stroke();
      ctx.fillText(`${v}`, pad.l - 4, y(v));
    }
    const step = niceStep(f1 - f0, Math.max(2, Math.floor(pw / 90)));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let f = Math.ceil(f0 / step) * step; f <= f1; f += step) {
      ctx.beginPath();
      ctx.moveTo(Math.round(x(f)) + 0.5, pad.t);
      ctx.lineTo(Math.round(x(f)) + 0.5, pad.t + ph);
      ctx.stroke();
      // Edge ticks keep inside the canvas.
      ctx.textAlign = x(f) < pad.l + 24 ? 'left' : x(f) > W - pad.r - 24 ? 'right' : 'center';
      ctx.fillText(f === 0 ? '0' : fmtOffset(f), x(f), pad.t + ph + 4);
    }
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText('dB', pad.l + 4, pad.t + 2);

    // The trace, filled underneath.
    ctx.beginPath();
    db.forEach((v, i) => {
      const px = x(f0 + i * spectrum.binHz);
      const py = y(Number.isFinite(v) ? v : lo);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.strokeStyle = '#3ec7ff';
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.lineTo(x(f1), pad.t + ph);
    ctx.lineTo(x(f0), pad.t + ph);
    ctx.closePath();
    ctx.fillStyle = '#3ec7ff22';
    ctx.fill();

    if (spectrum.peakOffsetHz !== null && spectrum.peakOffsetHz >= f0 && spectrum.peakOffsetHz <= f1) {
      const px = Math.round(x(spectrum.peakOffsetHz)) + 0.5;
      ctx.setLineDash([4, 3]);
      ctx.strokeStyle = '#ffb020';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px, pad.t);
      ctx.lineTo(px, pad.t + ph);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#ffb020';
      ctx.textBaseline = 'top';
      ctx.textAlign = px > W - 90 ? 'right' : 'left';
      ctx.fillText(`peak ${fmtOffset(spectrum.peakOffsetHz)}`, px + (px > W - 90 ? -4 : 4), pad.t + 2);
    }
    el.dataset.drawn = '1';
  }, [spectrum, centerHz, width]);

  return <canvas ref={canvas} className="spectrum" role="img" aria-label={`Spectrum of ${label}`} data-testid="spectrum" />;
}

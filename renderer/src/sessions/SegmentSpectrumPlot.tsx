import { useMemo } from 'react';
import { type SegmentSpectrum as Spectrum } from '../../../shared/domain/sessions';
import { SpectrumPlot, type SpectrumSource } from '../ui/SpectrumPlot';

const HEIGHT = 150;
const PEAK = { colour: '#ffb020', width: 1, dash: [4, 3] };

const fmtOffset = (raw: number) => {
  const hz = Math.abs(raw) >= 1000 ? Math.round(raw / 100) * 100 : Math.round(raw);
  const a = Math.abs(hz);
  const s = hz > 0 ? '+' : hz < 0 ? '−' : '';
  return a >= 1000 ? `${s}${(a / 1000).toFixed(a % 1000 === 0 ? 0 : 1)} kHz` : `${s}${Math.round(a)} Hz`;
};

/** A segment's Welch spectrum as a still source: x is the offset (Hz) from the session frequency. */
export function segmentSpectrumSource(spectrum: Spectrum, centerHz: number): SpectrumSource {
  const db = Float64Array.from(spectrum.db, (v) => (Number.isFinite(v) ? v : NaN));
  const x = Float64Array.from(db, (_v, i) => spectrum.startHz - centerHz + i * spectrum.binHz);
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
  for (let i = 0; i < db.length; i++) if (Number.isNaN(db[i]!)) db[i] = lo;
  const trace = db.length < 2 ? null : { x, db, geometry: 0, version: 0, dbLo: lo, dbHi: hi };
  const peak = spectrum.peakOffsetHz;
  return {
    read: () => trace,
    xTicks: (v) => (v === 0 ? '0' : fmtOffset(v)),
    marker: { ...PEAK, at: () => peak, text: (off) => `peak ${fmtOffset(off)}` },
  };
}

/**
 * One receiver's Welch spectrum of a segment: power (dB) against the offset from the session
 * frequency, with the detected peak marked.
 */
export function SegmentSpectrumPlot({ spectrum, centerHz, label }: { spectrum: Spectrum; centerHz: number; label: string }) {
  const source = useMemo(() => segmentSpectrumSource(spectrum, centerHz), [spectrum, centerHz]);
  return <SpectrumPlot source={source} unit="dB" height={HEIGHT} compact background="#070b10" emptyText="No spectrum: the capture has no samples in this segment." label={`Spectrum of ${label}`} />;
}

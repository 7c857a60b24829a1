import { kthSmallest } from './select';
import { type Psd } from './welch';

export interface SpectrumMetrics {
  /** Strongest component within the search range, interpolated (Hz relative to the tuned frequency). */
  peakOffsetHz: number;
  /** PSD at the peak bin, dB. */
  peakDb: number;
  /** Robust noise floor: median of the bins away from the signal, bias-corrected (dB per bin). */
  noiseFloorDb: number;
  /** Signal power above the noise, integrated over its bins (dB, same units as the PSD x Hz). */
  signalPowerDb: number;
  /** Noise power over the whole band (dB): noise density x sample rate. */
  noisePowerDb: number;
  /** Signal power / noise power over the whole band. */
  snrDb: number;
  /** Bandwidth holding 99 % of the signal power above the noise (Hz). */
  occupiedBandwidthHz: number;
  binHz: number;
}

interface MetricOptions {
  /** Look for the peak within +-searchHz of the centre (default fs/4, as the backend did). */
  searchHz?: number;
  /** Bins on each side of the peak that belong to the signal (default 4: a Hann main lobe and some). */
  guardBins?: number;
  window?: string;
}

/** One work buffer for the median, grown as needed: metrics run on every frame of every stream. */
let work = new Float64Array(0);
function scratch(n: number): Float64Array {
  if (work.length < n) work = new Float64Array(n);
  return work;
}

const db = (v: number) => 10 * Math.log10(Math.max(v, 1e-300));

/** Median of a chi-squared(2K)/2K variable relative to its mean (Wilson-Hilferty). */
function medianBias(segments: number): number {
  const k = Math.max(1, segments);
  return (1 - 2 / (9 * 2 * k)) ** 3;
}

/**
 * Metrics of a (two-sided, fftshifted) PSD: better than the backend's on three counts: the noise is
 * a median of bins away from the signal (not the bins next to DC), the peak is interpolated between
 * bins, and the SNR compares integrated powers, so it does not depend on the bin width.
 */
export function spectrumMetrics(psd: Psd, opts: MetricOptions = {}): SpectrumMetrics {
  const n = psd.psd.length;
  const binHz = n > 1 ? psd.freqs[1]! - psd.freqs[0]! : 1;
  const fs = binHz * n;
  const search = opts.searchHz ?? fs / 4;
  const guard = opts.guardBins ?? 4;
  let peak = -1;
  for (let i = 0; i < n; i++) {
    if (Math.abs(psd.freqs[i]!) > search) continue;
    if (peak < 0 || psd.psd[i]! > psd.psd[peak]!) peak = i;
  }
  if (peak < 0) throw new Error('no bins within the search range');

  const others = scratch(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (Math.abs(i - peak) > guard) others[count++] = psd.psd[i]!;
  const median = count ? kthSmallest(others, count, count >> 1) : psd.psd[peak]!;
  const floor = median / medianBias(psd.segments);

  // Interpolated peak: Grandke's estimator is exact for a tone under a Hann window; a parabola on dB otherwise.
  let delta = 0;
  if (peak > 0 && peak < n - 1) {
    const a = psd.psd[peak - 1]!;
    const b = psd.psd[peak]!;
    const c = psd.psd[peak + 1]!;
    if ((opts.window ?? 'hann') === 'hann') {
      const right = c >= a;
      const alpha = Math.sqrt((right ? c : a) / b);
      delta = ((2 * alpha - 1) / (alpha + 1)) * (right ? 1 : -1);
    } else {
      const [la, lb, lc] = [db(a), db(b), db(c)];
      const den = la - 2 * lb + lc;
      delta = den !== 0 ? (0.5 * (la - lc)) / den : 0;
    }
    // Silence or a flat top gives 0/0: no evidence to move off the bin centre.
    delta = Number.isFinite(delta) ? Math.max(-0.5, Math.min(0.5, delta)) : 0;
  }

  // Signal: everything above the floor within the guard around the peak, integrated.
  let signal = 0;
  const excess: number[] = [];
  for (let i = Math.max(0, peak - guard); i <= Math.min(n - 1, peak + guard); i++) {
    const e = Math.max(0, psd.psd[i]! - floor);
    excess.push(e);
    signal += e;
  }
  signal *= binHz;
  const noise = floor * fs;

  // 99 % occupied bandwidth: trim 0.5 % of the excess power from each side.
  let total = 0;
  for (const e of excess) total += e;
  let lo = 0;
  let acc = 0;
  while (lo < excess.length - 1 && acc + excess[lo]! < 0.005 * total) acc += excess[lo++]!;
  let hi = excess.length - 1;
  acc = 0;
  while (hi > lo && acc + excess[hi]! < 0.005 * total) acc += excess[hi--]!;

  return {
    peakOffsetHz: psd.freqs[peak]! + delta * binHz,
    peakDb: db(psd.psd[peak]!),
    noiseFloorDb: db(floor),
    signalPowerDb: db(signal),
    noisePowerDb: db(noise),
    snrDb: db(signal) - db(noise),
    occupiedBandwidthHz: (hi - lo + 1) * binHz,
    binHz,
  };
}

/** Calibrations the receivers give: levels in dBm where they are known. */
export const calibration = {
  kiwiSmeterDbm: (raw: number) => raw / 10 - 127,
  kiwiWaterfallDbm: (byte: number, wfCal: number) => byte - 255 + wfCal,
  openwebrxSmeterDb: (linear: number) => 10 * Math.log10(Math.max(linear, 1e-30)),
};

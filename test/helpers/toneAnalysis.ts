/**
 * What a listener's ear checks, as numbers: the strongest tone in a stretch of audio, its frequency
 * (Hann-windowed FFT with parabolic interpolation of the peak, a small fraction of a bin) and its
 * SNR against everything else in the audio band (noise, hum, harmonics: SINAD, DC excluded).
 */
import { fft } from '../../main/dsp/fft';

export interface ToneReport {
  freqHz: number;
  snrDb: number;
  /** RMS of the analysed stretch (full scale 1). */
  rms: number;
}

export function analyseTone(audio: ArrayLike<number>, sampleRate: number, opts: { skip?: number; length?: number; minHz?: number } = {}): ToneReport {
  const skip = opts.skip ?? 0;
  let n = opts.length ?? 1;
  if (!opts.length) while (n * 2 <= audio.length - skip) n *= 2;
  if (skip + n > audio.length || n < 256) throw new Error(`need ${skip + Math.max(n, 256)} samples of audio, got ${audio.length}`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += audio[skip + i]!;
  mean /= n;
  const input = new Float64Array(2 * n);
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = audio[skip + i]! - mean;
    sq += v * v;
    input[2 * i] = v * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  }
  const out = new Float64Array(2 * n);
  fft(input, out);
  const half = n / 2;
  const p = new Float64Array(half);
  for (let k = 0; k < half; k++) p[k] = out[2 * k]! ** 2 + out[2 * k + 1]! ** 2;
  const binHz = sampleRate / n;
  const first = Math.max(3, Math.ceil((opts.minHz ?? 20) / binHz));
  let peak = first;
  for (let k = first; k < half - 1; k++) if (p[k]! > p[peak]!) peak = k;
  const [a, b, c] = [Math.log(p[peak - 1]! + 1e-300), Math.log(p[peak]! + 1e-300), Math.log(p[peak + 1]! + 1e-300)];
  const delta = (0.5 * (a - c)) / (a - 2 * b + c);
  let tone = 0;
  let total = 0;
  for (let k = 3; k < half; k++) {
    total += p[k]!;
    if (Math.abs(k - peak) <= 4) tone += p[k]!;
  }
  return { freqHz: (peak + delta) * binHz, snrDb: 10 * Math.log10(tone / Math.max(total - tone, 1e-300)), rms: Math.sqrt(sq / n) };
}

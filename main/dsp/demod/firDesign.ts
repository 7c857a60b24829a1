/**
 * Windowed-sinc FIR design with a Kaiser window: a real low-pass, and the complex band-pass a
 * demodulator needs for an asymmetric passband (an upper sideband is 300..2700 Hz, not symmetric
 * about the dial), made by shifting the low-pass to the band's centre.
 */

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for x < 30). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return sum;
}

/** Kaiser's beta for a stop-band attenuation of `db` decibels. */
function kaiserBeta(db: number): number {
  if (db > 50) return 0.1102 * (db - 8.7);
  if (db >= 21) return 0.5842 * (db - 21) ** 0.4 + 0.07886 * (db - 21);
  return 0;
}

function kaiserWindow(n: number, beta: number): Float64Array {
  const w = new Float64Array(n);
  const m = n - 1;
  const d = besselI0(beta);
  for (let i = 0; i < n; i++) {
    const r = m === 0 ? 0 : (2 * i) / m - 1;
    w[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / d;
  }
  return w;
}

/** Real low-pass taps, cut-off `cutoffHz` (the middle of the transition), unity gain at DC. */
function lowpassTaps(cutoffHz: number, sampleRate: number, taps: number, stopDb = 70): Float64Array {
  if (!(taps >= 1 && Number.isInteger(taps))) throw new Error(`a filter needs a whole number of taps (got ${taps})`);
  const fc = cutoffHz / sampleRate;
  const w = kaiserWindow(taps, kaiserBeta(stopDb));
  const h = new Float64Array(taps);
  const mid = (taps - 1) / 2;
  let sum = 0;
  for (let i = 0; i < taps; i++) {
    const t = i - mid;
    h[i] = (t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t)) * w[i]!;
    sum += h[i]!;
  }
  for (let i = 0; i < taps; i++) h[i] = h[i]! / sum;
  return h;
}

/**
 * Complex band-pass taps passing [lowHz, highHz] (offsets from the centre of the complex
 * baseband, either sign) with unity gain: interleaved re, im.
 */
export function bandpassTaps(lowHz: number, highHz: number, sampleRate: number, taps: number, stopDb = 70): Float64Array {
  if (!(highHz > lowHz)) throw new Error(`the passband's high edge (${highHz} Hz) must be above its low edge (${lowHz} Hz)`);
  const half = (highHz - lowHz) / 2;
  const centre = (highHz + lowHz) / 2;
  const lp = lowpassTaps(half, sampleRate, taps, stopDb);
  const out = new Float64Array(2 * taps);
  const mid = (taps - 1) / 2;
  for (let i = 0; i < taps; i++) {
    const a = (2 * Math.PI * centre * (i - mid)) / sampleRate;
    out[2 * i] = lp[i]! * Math.cos(a);
    out[2 * i + 1] = lp[i]! * Math.sin(a);
  }
  return out;
}

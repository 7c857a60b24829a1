/**
 * Window functions as scipy.signal.get_window makes them for spectral analysis (periodic, i.e.
 * `fftbins=True`), with their gains: coherent gain sum(w)/n and equivalent noise bandwidth
 * n*sum(w^2)/sum(w)^2 in bins.
 */
export type WindowName = 'hann' | 'hamming' | 'blackmanharris' | 'flattop' | 'boxcar';

function cosineSum(n: number, a: readonly number[]): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < a.length; k++) v += (k % 2 ? -1 : 1) * a[k]! * Math.cos((2 * Math.PI * k * i) / n);
    w[i] = v;
  }
  return w;
}

const COEFFS: Record<Exclude<WindowName, 'boxcar'>, readonly number[]> = {
  hann: [0.5, 0.5],
  hamming: [0.54, 0.46],
  blackmanharris: [0.35875, 0.48829, 0.14128, 0.01168],
  flattop: [0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368],
};

const cache = new Map<string, Float64Array>();

export function makeWindow(name: WindowName, n: number): Float64Array {
  const key = `${name}:${n}`;
  let w = cache.get(key);
  if (!w) {
    w = name === 'boxcar' ? new Float64Array(n).fill(1) : cosineSum(n, COEFFS[name]);
    cache.set(key, w);
  }
  return w;
}

export function windowGains(w: Float64Array): { sum: number; sumSq: number; coherentGain: number; enbwBins: number } {
  let sum = 0;
  let sumSq = 0;
  for (const v of w) {
    sum += v;
    sumSq += v * v;
  }
  return { sum, sumSq, coherentGain: sum / w.length, enbwBins: (w.length * sumSq) / (sum * sum) };
}

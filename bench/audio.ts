/**
 * bench:audio: what listening costs. Demodulator throughput per mode (the 513-tap band-pass by
 * overlap-save FFT) beside a direct-form FIR of the same taps in the same run, and the player's
 * jitter buffer + resampler (the AudioWorklet's work) per output sample. Both figures also say how
 * many real-time streams one core carries: a KiwiSDR is 0.012 Msamples/s, a 48 kHz device 0.048.
 */
import { LISTEN_DEFAULTS, type ListenMode } from '../shared/domain/audio';
import { Demodulator } from '../main/dsp/demod/demodulator';
import { bandpassTaps } from '../main/dsp/demod/firDesign';
import { FILTER_TAPS } from '../main/dsp/demod/fftFilter';
import { gaussian, mulberry32 } from '../main/sim/prng';
import { JitterBuffer } from '../renderer/src/ui/audio/jitterBuffer';
import { report } from './lib/report';

const FS = 12001.135;
const N = 1 << 19;
const g = gaussian(mulberry32(11));
const iq = new Float32Array(2 * N);
for (let k = 0; k < N; k++) {
  const ph = (2 * Math.PI * 700 * k) / FS;
  iq[2 * k] = 0.05 * Math.cos(ph) + g() * 0.001;
  iq[2 * k + 1] = 0.05 * Math.sin(ph) + g() * 0.001;
}

function best(fn: () => void, reps = 5): number {
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t / 1000;
}

/** The same band-pass, direct form: what the FFT filter replaces. */
function directFir(x: Float32Array, taps: Float64Array): Float64Array {
  const m = taps.length / 2;
  const n = x.length / 2;
  const y = new Float64Array(2 * n);
  for (let k = m; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < m; j++) {
      const xr = x[2 * (k - j)]!;
      const xi = x[2 * (k - j) + 1]!;
      const hr = taps[2 * j]!;
      const hi = taps[2 * j + 1]!;
      re += xr * hr - xi * hi;
      im += xr * hi + xi * hr;
    }
    y[2 * k] = re;
    y[2 * k + 1] = im;
  }
  return y;
}

const blocks = (d: Demodulator) => {
  for (let i = 0; i < N; i += 512) d.process(iq.subarray(2 * i, 2 * (i + 512)));
};
const taps = bandpassTaps(300, 2700, FS, FILTER_TAPS);
const short = iq.subarray(0, 2 * (N / 8));
directFir(short, taps);
const directS = best(() => directFir(short, taps), 3) * 8;
const msps = (s: number) => N / s / 1e6;
for (const mode of ['am', 'nfm', 'usb', 'cw'] as ListenMode[]) {
  const d = new Demodulator(LISTEN_DEFAULTS[mode], FS);
  blocks(d);
  const s = best(() => blocks(d));
  report({ name: `demodulator ${mode.toUpperCase()} (513-tap band-pass by FFT)`, value: msps(s), unit: 'Msamples/s', reference: msps(directS), note: `(reference: the same taps as a direct-form FIR; ${Math.round(msps(s) / 0.012)} KiwiSDR streams in real time per core)` });
}

// The player: 1 s of a 12 kHz receiver rendered at 48 kHz in 128-sample quanta, pushed in 512-sample chunks.
const OUT = 48000;
const tone = new Float32Array(512).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / FS));
const renderSecond = () => {
  const b = new JitterBuffer(FS, OUT, 120, 400);
  const q = new Float32Array(128);
  let sent = 0;
  for (let k = 0; k < OUT / 128 * 10; k++) {
    while ((sent + 512) / FS <= ((k * 128) / OUT) + 0.2) {
      b.push(tone, 0, null);
      sent += 512;
    }
    q.fill(0);
    b.render(q);
  }
};
renderSecond();
const playerS = best(renderSecond) / 10;
report({ name: 'player (jitter buffer + cubic resampler), one source', value: OUT / playerS / 1e6, unit: 'Msamples/s out', reference: OUT / 1e6, note: '(reference: a 48 kHz device in real time; the ratio is sources one audio thread carries)' });

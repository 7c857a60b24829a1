/** Loading and analysing a recording for `analyze` (kept apart so the CLI starts without the DSP). */
import { SignalDetector } from '../dsp/detector';
import { spectrumMetrics, type SpectrumMetrics } from '../dsp/metrics';
import { createDspPool } from '../dsp/pool';
import { welchReal } from '../dsp/welch';
import { readKiwiWav } from '../recordings/readKiwiWav';
import { readSigmf } from '../recordings/readSigmf';
import { type LoadedRecording } from '../recordings/recording';

export function loadRecording(file: string): LoadedRecording {
  if (file.endsWith('.sigmf-meta') || file.endsWith('.sigmf-data')) return readSigmf(file.replace(/\.sigmf-data$/, '.sigmf-meta'));
  if (file.toLowerCase().endsWith('.wav')) return readKiwiWav(file);
  throw new Error(`${file}: give a .sigmf-meta (SigMF) or a .wav (kiwirecorder) file`);
}

export async function analyzeRecording(rec: LoadedRecording) {
  const ch = rec.complex ? 2 : 1;
  const n = rec.samples.length / ch;
  const win = Math.max(1024, Math.round(rec.sampleRate));
  const windows: { startSample: number; metrics: SpectrumMetrics }[] = [];
  let overall: SpectrumMetrics;
  if (rec.complex) {
    const pool = createDspPool();
    try {
      const starts = Array.from({ length: Math.max(1, Math.floor(n / win)) }, (_, i) => i * win);
      const results = await Promise.all(starts.map((s) => pool.analyzeIq(rec.samples.slice(2 * s, 2 * Math.min(n, s + win)), rec.sampleRate)));
      results.forEach((r, i) => windows.push({ startSample: starts[i]!, metrics: r.metrics }));
      overall = (await pool.analyzeIq(rec.samples.slice(), rec.sampleRate)).metrics;
    } finally {
      await pool.close();
    }
  } else {
    // Real audio: one-sided spectrum; metrics treat it like a spectrum starting at 0 Hz.
    const psd = welchReal(rec.samples, { fs: rec.sampleRate });
    overall = spectrumMetrics({ ...psd, freqs: psd.freqs }, { searchHz: rec.sampleRate / 2 });
  }
  const detector = new SignalDetector({ onDb: 10, offDb: 6, minOnWindows: 1, minOffWindows: 1 });
  for (const w of windows) detector.push(w.startSample, win, w.metrics.snrDb);
  return { samples: n, seconds: n / rec.sampleRate, overall, windows, segments: detector.finish() };
}


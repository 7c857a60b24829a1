/**
 * `heimdall-station analyze <recording> [--json]`: PSD metrics of a SigMF recording or a
 * kiwirecorder IQ .wav, per second and overall, with the detector's proposed transmissions.
 */
import { type Command } from 'commander';
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

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze <recording>')
    .description('signal metrics (SNR, offset, power, occupied bandwidth) of a SigMF recording or kiwirecorder .wav')
    .option('--json', 'print JSON instead of text', false)
    .action(async (file: string, o: { json: boolean }) => {
      const rec = loadRecording(file);
      const a = await analyzeRecording(rec);
      if (o.json) {
        console.log(JSON.stringify({ file, format: rec.format, datatype: rec.datatype, sampleRate: rec.sampleRate, freqHz: rec.freqHz, timestamps: rec.timestamps.map((t) => ({ ...t, unixNs: t.unixNs?.toString() })), ...a }, null, 2));
        return;
      }
      const m = a.overall;
      console.log(`${file}: ${rec.format}, ${rec.datatype}, ${rec.sampleRate} samples/s, ${a.seconds.toFixed(2)} s${rec.freqHz ? `, ${(rec.freqHz / 1e6).toFixed(6)} MHz` : ''}`);
      console.log(`peak offset ${m.peakOffsetHz.toFixed(1)} Hz, SNR ${m.snrDb.toFixed(1)} dB, signal ${m.signalPowerDb.toFixed(1)} dB, noise ${m.noisePowerDb.toFixed(1)} dB, occupied ${m.occupiedBandwidthHz.toFixed(0)} Hz`);
      if (rec.timestamps.length) console.log(`GPS time stamps: ${rec.timestamps.length} (first at sample ${rec.timestamps[0]!.sampleIndex})`);
      for (const s of a.segments) console.log(`transmission ${(s.startSample / rec.sampleRate).toFixed(1)}-${(s.endSample / rec.sampleRate).toFixed(1)} s, peak SNR ${s.peakSnrDb.toFixed(1)} dB`);
    });
}

/**
 * `heimdall-station analyze <recording> [--json]`: PSD metrics of a SigMF recording or a
 * kiwirecorder IQ .wav, per second and overall, with the detector's proposed transmissions.
 */
import { type Command } from 'commander';

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze <recording>')
    .description('signal metrics (SNR, offset, power, occupied bandwidth) of a SigMF recording or kiwirecorder .wav')
    .option('--json', 'print JSON instead of text', false)
    .action(async (file: string, o: { json: boolean }) => {
      const { analyzeRecording, loadRecording } = await import('./analyzeRecording');
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

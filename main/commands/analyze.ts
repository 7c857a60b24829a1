/**
 * `heimdall-station analyze <recording> [--json]`: the time base and PSD metrics of a SigMF recording
 * or a kiwirecorder .wav, per second and overall, with the detector's proposed transmissions.
 */
import { type Command } from 'commander';

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze <recording>')
    .description('time base (GPS week, first-sample UTC/GPS time, GPS rate) and signal metrics (SNR, offset, power, occupied bandwidth) of a SigMF recording or kiwirecorder .wav')
    .option('--json', 'print JSON instead of text (keys: see README)', false)
    .action(async (file: string, o: { json: boolean }) => {
      const { analyzeRecording, openRecording } = await import('./analyzeRecording');
      const rec = await openRecording(file);
      try {
        const a = await analyzeRecording(rec);
        if (o.json) {
          console.log(JSON.stringify({ file, ...a }, null, 2));
          return;
        }
        const m = a.overall;
        const t = a.time;
        console.log(`${file}: ${a.format}, ${a.datatype}, ${a.samples} samples, ${a.seconds.toFixed(2)} s${a.freqHz ? `, ${(a.freqHz / 1e6).toFixed(6)} MHz` : ''}${a.station ? `, station ${a.station}` : ''}`);
        console.log(`rate ${a.sampleRate.toFixed(4)} samples/s (${t.rateSource === 'gps-anchors' ? 'measured on GPS' : t.rateSource === 'receiver-stamps' ? "from the receiver's own stamps" : 'as the file declares'}; header ${a.headerRateHz})`);
        if (t.source === 'gps') {
          console.log(`first sample ${t.firstSampleUtc} UTC = GPS week ${t.firstSampleGps!.week}, ${t.firstSampleGps!.secondsOfWeek} s`);
          console.log(`GPS stamps: ${t.stamps}, fresh ${t.freshStamps}, anchors ${t.anchors}, rejected ${t.rejectedStamps}, stale ${t.staleStamps}${t.firstStamp?.offsetSec ? ` (the first block's stamp is ${t.firstStamp.offsetSec.toFixed(1)} s off and not used)` : ''}`);
        } else {
          console.log(`first sample ${t.firstSampleUtc} (not GPS time${t.reasons.length ? `: ${t.reasons.join('; ')}` : ''})`);
        }
        for (const r of a.time.rejectedList) console.log(`rejected stamp at sample ${r.sampleIndex}: ${r.reason}`);
        console.log(`peak offset ${m.peakOffsetHz.toFixed(1)} Hz, SNR ${m.snrDb.toFixed(1)} dB, signal ${m.signalPowerDb.toFixed(1)} dB, noise ${m.noisePowerDb.toFixed(1)} dB, occupied ${m.occupiedBandwidthHz.toFixed(0)} Hz`);
        for (const s of a.segments) console.log(`transmission ${(s.startSample / a.sampleRate).toFixed(1)}-${(s.endSample / a.sampleRate).toFixed(1)} s, peak SNR ${s.peakSnrDb.toFixed(1)} dB`);
        for (const w of a.warnings) console.log(`warning: ${w}`);
      } finally {
        rec.source.close();
      }
    });
}

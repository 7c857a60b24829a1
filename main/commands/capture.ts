/**
 * `heimdall-station capture --receiver <url>... --freq <Hz> --mode iq|usb|... --duration <s> --out <dir>`:
 * one SigMF recording per receiver plus summary.json, through the same engine the station uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { captureModes } from '../../shared/domain/monitor';
import { StationError } from '../../shared/errors';
import { type CaptureReceiver } from '../capture/workerProtocol';
import { consoleLogger } from '../log';

function positive(what: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number.`);
    return n;
  };
}

async function receiverFromUrl(url: string, index: number): Promise<CaptureReceiver> {
  const { probeKiwiStatus } = await import('../receivers/kiwisdr/statusProbe');
  let u: URL;
  try {
    u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new StationError('invalid_input', `"${url}" is not a receiver URL. Give the receiver's web address, e.g. http://host:8073/.`);
  }
  try {
    const st = await probeKiwiStatus(url);
    return { receiverId: `cli-${index}`, name: st.name || u.host, kind: 'kiwisdr', url, lat: st.lat, lon: st.lon, alt: null };
  } catch {
    // Not a KiwiSDR /status: treat it as OpenWebRX, whose link reports clearly if it is not one either.
    return { receiverId: `cli-${index}`, name: u.host, kind: 'openwebrx', url, lat: null, lon: null, alt: null };
  }
}

export function registerCaptureCommand(program: Command): void {
  program
    .command('capture')
    .description('record from receivers into SigMF files (one per receiver) and a summary.json')
    .requiredOption('--receiver <url...>', 'receiver web address(es), KiwiSDR or OpenWebRX')
    .requiredOption('--freq <Hz>', 'dial frequency in Hz', positive('--freq'))
    .option('--mode <mode>', `demodulation: ${captureModes.join(', ')} (iq needs KiwiSDR)`, 'iq')
    .requiredOption('--duration <s>', 'seconds to record', positive('--duration'))
    .requiredOption('--out <dir>', 'output folder')
    .option('--ident <name>', 'ident_user sent to receivers', 'heimdall-station')
    .action(async (o: { receiver: string[]; freq: number; mode: string; duration: number; out: string; ident: string }) => {
      if (!(captureModes as readonly string[]).includes(o.mode)) throw new StationError('invalid_input', `--mode ${o.mode} is not one of ${captureModes.join(', ')}.`);
      const [{ startCapture }, { createDspPool }] = await Promise.all([import('../capture/captureEngine'), import('../dsp/pool')]);
      const log = consoleLogger('capture');
      const pool = createDspPool();
      const receivers = await Promise.all(o.receiver.map((u, i) => receiverFromUrl(u, i)));
      fs.mkdirSync(o.out, { recursive: true });
      const run = startCapture({ receivers, freqHz: o.freq, mode: o.mode, identUser: o.ident, durationSec: o.duration, outDir: o.out, dsp: { pool } }, log);
      const measurements = new Map<string, unknown[]>();
      run.events.on('measurement', (m) => {
        const list = measurements.get(m.receiverId) ?? [];
        list.push({ startSample: m.startSample, time: new Date(Number(m.unixNs / 1_000_000n)).toISOString(), ...m.metrics });
        measurements.set(m.receiverId, list);
      });
      const names = new Map(receivers.map((r) => [r.receiverId, r.name]));
      run.events.on('message', (m) => {
        if (m.t === 'state') console.log(`${names.get(m.receiverId)}: ${m.state.code} - ${m.state.message}`);
      });
      const stop = () => void run.stop();
      process.once('SIGINT', stop);
      const summaries = await run.done;
      await pool.close();
      process.off('SIGINT', stop);
      const file = path.join(o.out, 'summary.json');
      fs.writeFileSync(file, `${JSON.stringify({ freqHz: o.freq, mode: o.mode, durationSec: o.duration, startAt: new Date(run.startAtMs).toISOString(), receivers: summaries.map((s) => ({ ...s, measurements: measurements.get(s.receiverId) ?? [] })) }, null, 2)}\n`);
      for (const s of summaries) console.log(`${s.status.padEnd(8)} ${s.name}: ${s.samples} samples, ${s.framesLost} frames lost${s.firstSampleUtc ? `, first sample ${s.firstSampleUtc}${s.firstSampleFromGps ? ' (GPS)' : ''}` : ''}${s.status === 'complete' ? '' : ` - ${s.message}`}`);
      console.log(`summary: ${file}`);
      if (summaries.every((s) => s.status !== 'complete')) process.exitCode = 1;
    });
}

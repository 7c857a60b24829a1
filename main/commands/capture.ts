/**
 * `heimdall-station capture --receiver <url>... --freq <Hz> --mode iq|usb|... --duration <s> --out <dir>`:
 * one SigMF recording per receiver plus summary.json, through the same engine the station uses.
 * Receivers are identified first (an unreachable one is reported at once), and --out must be new
 * or empty.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { captureModes } from '../../shared/domain/monitor';
import { StationError } from '../../shared/errors';
import { type CaptureReceiver } from '../capture/workerProtocol';
import { consoleLogger } from '../base/log';
import { frequencyArg, positiveArg } from './args';

async function receiverFromUrl(url: string, index: number, mode: string): Promise<CaptureReceiver> {
  const { identifyReceiver } = await import('../receivers/identify');
  // Unreachable or not a receiver is said here, at once, not as a protocol failure later.
  const id = await identifyReceiver(url);
  if (mode === 'iq' && id.kind !== 'kiwisdr') {
    throw new StationError('invalid_input', `${url} is an OpenWebRX receiver ("${id.name}"), which cannot deliver IQ. Record it with a demodulated --mode (${captureModes.filter((m) => m !== 'iq').join(', ')}).`);
  }
  return { receiverId: `cli-${index}`, name: id.name, kind: id.kind, url, lat: id.lat, lon: id.lon, alt: id.alt };
}

/** An earlier recording is never overwritten: the folder must be new or empty. */
function checkOutDir(out: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw new StationError('invalid_input', `--out ${out} is a file, not a folder. Choose a new folder; nothing was written.`);
    throw new StationError('unavailable', `--out ${out} cannot be read (${(e as Error).message}). Choose another folder; nothing was written.`);
  }
  if (entries.length) throw new StationError('conflict', `--out ${out} already holds ${entries.length} file${entries.length === 1 ? '' : 's'} (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}), so nothing was recorded: an earlier recording is never overwritten. Choose a new folder, or remove that one first.`);
}

export function registerCaptureCommand(program: Command): void {
  program
    .command('capture')
    .summary('record from receivers into SigMF files and a summary.json')
    .description('record from receivers at once (links in worker threads, common start time, exact length) into one SigMF recording per receiver plus summary.json (status, samples, first GPS/UTC time stamp, frames lost per receiver); KiwiSDR or OpenWebRX is detected from /status or /status.json')
    .requiredOption('--receiver <url...>', 'receiver web address(es), KiwiSDR or OpenWebRX')
    .requiredOption('--freq <Hz>', 'dial frequency in Hz (or 7.1M, 7100k)', frequencyArg('--freq'))
    .addOption(new Option('--mode <mode>', 'demodulation (iq needs a KiwiSDR)').choices([...captureModes]).default('iq'))
    .requiredOption('--duration <s>', 'seconds to record', positiveArg('--duration', 'seconds'))
    .requiredOption('--out <dir>', 'output folder, new or empty (an earlier recording is never overwritten)')
    .option('--ident <name>', 'ident_user sent to receivers', 'heimdall-station')
    .action(async (o: { receiver: string[]; freq: number; mode: string; duration: number; out: string; ident: string }) => {
      checkOutDir(o.out);
      const receivers = await Promise.all(o.receiver.map((u, i) => receiverFromUrl(u, i, o.mode)));
      const [{ startCapture }, { createDspPool }] = await Promise.all([import('../capture/captureEngine'), import('../dsp/pool')]);
      const log = consoleLogger('capture');
      const pool = createDspPool();
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

/**
 * `heimdall-station import <files...> [--data-dir D] [--freq Hz] [--receiver-url U] [--receiver-name N]
 * [--source S] [--no-acquisition] [--json]`: kiwirecorder IQ .wav files, SigMF recordings and .sigmf
 * archives (or folders of them) become captures in the station's offline store, ready for sync;
 * recordings of one moment become an acquisition (a session in review). Goes through the station API
 * the UI uses. One line per file and a summary; exit code 1 if any file could not be imported.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { pickSource } from './source';

function frequency(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('--freq is the dial frequency in Hz, a positive number such as 7100000.');
  return n;
}

function receiverUrl(v: string): string {
  try {
    const u = new URL(v);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname) return v;
  } catch {
    // falls through to the message
  }
  throw new InvalidArgumentError("--receiver-url is the receiver's web address, such as http://host:8073/.");
}

export function registerImportCommand(program: Command): void {
  program
    .command('import <files...>')
    .description('import kiwirecorder IQ .wav files, SigMF recordings (.sigmf-meta) and .sigmf archives, or folders of them, as captures; recordings of one moment become an acquisition in review')
    .option('--data-dir <dir>', 'the station data directory (default: the user data folder, or $HEIMDALL_DATA_DIR)')
    .option('--freq <Hz>', 'dial frequency for files that do not say it (kiwirecorder names and SigMF metadata do)', frequency)
    .option('--receiver-url <url>', 'web address of the receiver that recorded the files (matched, or added when new); overrides the files', receiverUrl)
    .option('--receiver-name <name>', 'its name (matched by name when no URL is known; names a receiver added by URL); overrides the files')
    .option('--source <name-or-id>', 'the known transmitter the recordings heard (ground truth of the acquisition)')
    .option('--no-acquisition', 'import the files as loose captures, not as acquisitions (sessions in review)')
    .option('--json', 'print the import report as JSON', false)
    .action(async (files: string[], o: { dataDir?: string; freq?: number; receiverUrl?: string; receiverName?: string; source?: string; acquisition: boolean; json: boolean }) => {
      const path = await import('node:path');
      const { openLocalStation } = await import('./localClient');
      const { station, client, dataDir } = await openLocalStation(o.dataDir, { mode: 'write' });
      try {
        // The same way to name a source as every other command: id, its end, name or a unique part of it.
        const source = o.source ? pickSource(await client.listKnownSources(), o.source).id : undefined;
        const report = await client.importRecordings({
          paths: files.map((f) => path.resolve(f)),
          acquisitions: o.acquisition,
          ...(o.freq !== undefined ? { freqHz: o.freq } : {}),
          ...(o.receiverUrl ? { receiverUrl: o.receiverUrl } : {}),
          ...(o.receiverName ? { receiverName: o.receiverName } : {}),
          ...(source ? { source } : {}),
        });
        // Paths as the user typed them, not as resolved for the station.
        const shown = (f: string) => {
          for (const given of files) {
            const abs = path.resolve(given);
            if (f === abs || f.startsWith(`${abs}${path.sep}`) || f.startsWith(`${abs}#`)) return given + f.slice(abs.length);
          }
          return f;
        };
        if (o.json) {
          console.log(JSON.stringify({ dataDir, ...report, files: report.files.map((r) => ({ ...r, file: shown(r.file) })) }, null, 2));
        } else {
          for (const r of report.files) {
            if (!r.ok) {
              console.log(`FAILED   ${shown(r.file)}: ${r.error}`);
              continue;
            }
            const seconds = r.samples! / r.sampleRate!;
            const time = `first sample ${r.firstSampleUtc}${r.gpsStamped ? ` (GPS${r.gpsRateHz ? `, ${r.gpsRateHz.toFixed(3)} samples/s measured` : ''}${r.stampsRejected ? `, ${r.stampsRejected} stamp(s) rejected` : ''}, ${r.segments} segment${r.segments === 1 ? '' : 's'})` : ' (no GPS time)'}`;
            console.log(
              `${r.status === 'complete' ? 'imported' : r.status!.padEnd(8)} ${shown(r.file)}: capture ${r.captureId}, ${(r.freqHz! / 1e6).toFixed(6)} MHz, ${r.samples} samples (${seconds.toFixed(2)} s), ${time}, receiver "${r.receiverName}"${r.receiverCreated ? ` (added${r.positionFile ? ` at the position in ${path.basename(r.positionFile)}` : ''})` : ''}`,
            );
            for (const w of r.warnings ?? []) console.log(`         warning: ${w}`);
          }
          for (const a of report.acquisitions) console.log(`acquisition ${a.sessionId}: ${a.captures} recording${a.captures === 1 ? '' : 's'} (${a.receivers.join(', ')}) at ${a.startUtc}, in review (heimdall-station session show ${a.sessionId})`);
          const total = report.imported + report.failed;
          console.log(`imported ${report.imported} of ${total} recording${total === 1 ? '' : 's'} into ${dataDir}${report.failed ? `; ${report.failed} failed` : ''}`);
        }
        if (report.failed > 0) process.exitCode = 1;
      } finally {
        await station.close();
      }
    });
}

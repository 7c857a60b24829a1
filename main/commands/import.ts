/**
 * `heimdall-station import <files...> [--data-dir D] [--freq Hz] [--receiver-url U] [--receiver-name N] [--json]`:
 * kiwirecorder IQ .wav files, SigMF recordings and .sigmf archives (or folders of them) become
 * captures in the station's offline store, ready for sync. One line per file and a summary; exit
 * code 1 if any file could not be imported. Heavy modules load inside the action.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { consoleLogger, silentLogger } from '../log';
import { defaultDataDir } from '../paths';
import { stationExists } from './localClient';

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
  throw new InvalidArgumentError('--receiver-url is the receiver\'s web address, such as http://host:8073/.');
}

export function registerImportCommand(program: Command): void {
  program
    .command('import <files...>')
    .description('import kiwirecorder IQ .wav files, SigMF recordings (.sigmf-meta) and .sigmf archives, or folders of them, as captures')
    .option('--data-dir <dir>', 'the station data directory (default: the user data folder, or $HEIMDALL_DATA_DIR)')
    .option('--freq <Hz>', 'dial frequency for files that do not say it (kiwirecorder names and SigMF metadata do)', frequency)
    .option('--receiver-url <url>', 'web address of the receiver that recorded the files (matched, or added when new)', receiverUrl)
    .option('--receiver-name <name>', 'its name (matched by name when no URL is known; names a receiver added by URL)')
    .option('--json', 'print the import report as JSON', false)
    .action(async (files: string[], o: { dataDir?: string; freq?: number; receiverUrl?: string; receiverName?: string; json: boolean }) => {
      const [{ fileSecretStore, withEnvironmentOverrides }, { createCaptureStore }, { openDatabase }, { createReceiverRegistry }, { importRecordingFiles }] = await Promise.all([
        import('../secrets/secretStore'),
        import('../store/captureStore'),
        import('../store/database'),
        import('../receivers/registry'),
        import('../datasets/importRecordings'),
      ]);
      const log = consoleLogger('import', true);
      const dataDir = path.resolve(o.dataDir ?? defaultDataDir());
      const isNew = !stationExists(dataDir);
      const opened = openDatabase(dataDir, log);
      // The rule of every command for a folder without a station: one that stores something creates it, and says so.
      if (isNew) console.error(`heimdall-station: started a new station in ${dataDir}`);
      try {
        const secrets = withEnvironmentOverrides(fileSecretStore(path.join(dataDir, 'secrets.json')));
        const receivers = createReceiverRegistry(opened.db, secrets);
        const captures = createCaptureStore({ db: opened.db, dataDir, log });
        captures.recoverOrphans();
        const report = await importRecordingFiles({ captures, receivers, log: silentLogger }, files, {
          freqHz: o.freq,
          receiverUrl: o.receiverUrl,
          receiverName: o.receiverName,
        });
        if (o.json) {
          console.log(JSON.stringify({ dataDir, ...report }, null, 2));
        } else {
          for (const r of report.files) {
            if (!r.ok) {
              console.log(`FAILED   ${r.file}: ${r.error}`);
              continue;
            }
            const seconds = r.samples! / r.sampleRate!;
            const time = `first sample ${r.firstSampleUtc}${r.gpsStamped ? ` (GPS, ${r.segments} segment${r.segments === 1 ? '' : 's'})` : ' (no GPS time)'}`;
            console.log(
              `${r.status === 'complete' ? 'imported' : r.status!.padEnd(8)} ${r.file}: capture ${r.captureId}, ${(r.freqHz! / 1e6).toFixed(6)} MHz, ${r.sampleRate} samples/s, ${r.samples} samples (${seconds.toFixed(2)} s), ${time}, receiver "${r.receiverName}"${r.receiverCreated ? ' (added)' : ''}`,
            );
            for (const w of r.warnings ?? []) console.log(`         warning: ${w}`);
          }
          const total = report.imported + report.failed;
          console.log(`imported ${report.imported} of ${total} recording${total === 1 ? '' : 's'} into ${dataDir}${report.failed ? `; ${report.failed} failed` : ''}`);
        }
        if (report.failed > 0) process.exitCode = 1;
      } finally {
        opened.close();
      }
    });
}

/**
 * `heimdall-station export --dataset <id|name> --format sigmf|npy|manifest --out <dir>`: writes a
 * dataset export with a progress line, atomically (Ctrl-C leaves nothing behind).
 */
import { type Command, Option } from 'commander';
import { type DatasetExportFormat } from '../../shared/domain/datasets';
import { openLocalStation } from './localClient';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('export a dataset as SigMF archives, the NumPy training layout, or a manifest (CSV + JSONL)')
    .option('--dataset <id-or-name>', 'the dataset to export')
    .addOption(new Option('--format <format>', 'what to write').choices(['sigmf', 'npy', 'manifest']).default('sigmf'))
    .option('--out <dir>', 'folder to create (must not exist, or be empty)')
    .option('--create', 'create the dataset first (approved sessions, default splits) when no dataset has that name', false)
    .option('--seed <n>', 'split seed for --create', (v) => Number(v), 1)
    .option('--upload', 'upload the export to the heimdall-datasets bucket and register it (needs central-store settings)', false)
    .option('--list', 'list datasets and exit', false)
    .option('--data-dir <dir>', 'the station data directory (default: the user data folder, or $HEIMDALL_DATA_DIR)')
    .action(async (o: { dataset?: string; format: DatasetExportFormat; out?: string; create: boolean; seed: number; upload: boolean; list: boolean; dataDir?: string }) => {
      const { station, client } = await openLocalStation(o.dataDir);
      try {
        const datasets = await client.listDatasets();
        if (o.list || !o.dataset) {
          if (!datasets.length) console.log('No datasets yet. Create one on the Datasets page, or run export with --dataset <name> --create.');
          for (const d of datasets) console.log(`${d.id}  ${d.name}: ${d.preview.sessions} sessions, ${d.preview.samples} samples (train/val/test sessions ${d.preview.splits.train.sessions}/${d.preview.splits.val.sessions}/${d.preview.splits.test.sessions})`);
          if (!o.list && !o.dataset) process.exitCode = 1;
          return;
        }
        if (o.create && !datasets.some((d) => d.id === o.dataset || d.name.toLowerCase() === o.dataset!.toLowerCase())) {
          await client.createDataset({ name: o.dataset, seed: o.seed });
        }
        const { job, done } = station.datasets.startExport({ dataset: o.dataset, format: o.format, outDir: o.out, upload: o.upload });
        const onSigint = () => void client.cancelExport({ id: job.id });
        process.once('SIGINT', onSigint);
        const timer = setInterval(() => {
          const j = station.datasets.list().flatMap((d) => d.exports).find((x) => x.id === job.id);
          if (j && process.stdout.isTTY) process.stdout.write(`\r${j.phase} ${j.doneSamples}/${j.totalSamples} samples, ${(j.doneBytes / 1e6).toFixed(1)}/${(j.totalBytes / 1e6).toFixed(1)} MB   `);
        }, 250);
        const end = await done.finally(() => {
          clearInterval(timer);
          process.off('SIGINT', onSigint);
        });
        if (process.stdout.isTTY) process.stdout.write('\n');
        console.log(`${end.state}: ${end.message}`);
        if (end.state !== 'done') process.exitCode = 1;
        else console.log(end.outDir);
      } finally {
        await station.close();
      }
    });
}

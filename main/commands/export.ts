/**
 * `heimdall-station export --dataset <id|name> --format sigmf|npy|manifest --out <dir>`: writes a
 * dataset export with a progress line, atomically (Ctrl-C leaves nothing behind), through the
 * station API the Datasets page uses.
 */
import { type Command, Option } from 'commander';
import { type StationClient } from '../../shared/client';
import { type Dataset, type DatasetExportFormat, type ExportJob } from '../../shared/domain/datasets';
import { StationError } from '../../shared/errors';
import { wholeArg } from './args';
import { dataDirOption, noStationError, resolveDataDir, stationExists, withLocalStation } from './localClient';
import { pick, shortId } from './pick';

const datasetLine = (d: Dataset) =>
  `${shortId(d.id)}  ${d.name}: ${d.preview.sessions} sessions, ${d.preview.samples} samples (train/val/test sessions ${d.preview.splits.train.sessions}/${d.preview.splits.val.sessions}/${d.preview.splits.test.sessions})`;

const findDataset = (list: readonly Dataset[], want: string) => {
  try {
    return pick(list, want, { what: 'dataset', id: (d) => d.id, name: (d) => d.name, hint: '' });
  } catch (e) {
    if (e instanceof StationError && e.code === 'not_found') return null;
    throw e;
  }
};

/** Defines the dataset from the approved sessions, refusing (and creating nothing) when it would be empty. */
async function createDataset(client: StationClient, name: string, seed: number): Promise<Dataset> {
  const preview = await client.previewDataset({ name, seed });
  if (preview.samples === 0) {
    const why = preview.excluded.map((x) => `${x.count} ${x.reason}`).join(', ');
    throw new StationError(
      'conflict',
      `No approved recordings to put in dataset "${name}"${why ? ` (${why})` : ''}, so nothing was created. Approve a session first: \`heimdall-station session approve <session> --all-segments\` (see \`session list\`).`,
    );
  }
  const d = await client.createDataset({ name, seed });
  console.log(`created dataset ${d.name} (${shortId(d.id)}): ${d.preview.sessions} sessions, ${d.preview.samples} samples`);
  return d;
}

async function runExport(client: StationClient, job: ExportJob): Promise<ExportJob> {
  return new Promise<ExportJob>((resolve) => {
    let last = job;
    const onSigint = () => void client.cancelExport({ id: job.id });
    process.once('SIGINT', onSigint);
    const done = (j: ExportJob) => {
      off();
      clearInterval(poll);
      process.off('SIGINT', onSigint);
      if (process.stdout.isTTY) process.stdout.write('\n');
      resolve(j);
    };
    const seen = (j: ExportJob) => {
      if (j.id !== job.id) return;
      last = j;
      if (process.stdout.isTTY) process.stdout.write(`\r${j.phase} ${j.doneSamples}/${j.totalSamples} samples, ${(j.doneBytes / 1e6).toFixed(1)}/${(j.totalBytes / 1e6).toFixed(1)} MB   `);
      if (j.state !== 'running') done(j);
    };
    const off = client.subscribe('stationEvents', {}, (ev) => {
      if (ev.header.type === 'export.progress') seen(ev.header.job);
    });
    // The job may have ended before the subscription: the stored job says so.
    const poll = setInterval(() => {
      void client.listDatasets().then((list) => {
        const j = list.flatMap((d) => d.exports).find((x) => x.id === job.id);
        if (j && j.state !== 'running' && last.state === 'running') seen(j);
      });
    }, 1000);
  });
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .summary('export a dataset: SigMF, the NumPy training layout, or a manifest')
    .description('export a dataset atomically (Ctrl-C leaves nothing): SigMF archives + one .sigmf-collection per acquisition, the NumPy training layout (train/ val/ test/, {acquisition}_iq.npy complex64 receivers x samples, {acquisition}_label.npy [lat, lon], _meta.json), or manifest.csv + manifest.jsonl')
    .option('--dataset <name-or-id>', 'the dataset to export')
    .addOption(new Option('--format <format>', 'what to write').choices(['sigmf', 'npy', 'manifest']).default('sigmf'))
    .option('--out <dir>', 'folder to create (must not exist, or be empty; default: exports/ in the data directory)')
    .option('--create', 'define the dataset first from the approved sessions (default splits) when none has that name', false)
    .option('--seed <n>', 'split seed for --create', wholeArg('--seed', 0), 1)
    .option('--upload', 'upload the export to the heimdall-datasets bucket and register it in training_datasets (needs the central store: `sync configure`)', false)
    .option('--list', 'list the datasets and exit', false)
    .option(...dataDirOption)
    .action(async (o: { dataset?: string; format: DatasetExportFormat; out?: string; create: boolean; seed: number; upload: boolean; list: boolean; dataDir?: string }) => {
      const dataDir = resolveDataDir(o.dataDir);
      if (!stationExists(dataDir)) {
        if (o.list) return console.log(`No datasets: there is no station in ${dataDir} yet (nothing was created).`);
        throw noStationError(dataDir);
      }
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const datasets = await client.listDatasets();
        if (o.list) {
          if (!datasets.length) console.log('No datasets yet. Create one on the Datasets page, or run export with --dataset <name> --create.');
          for (const d of datasets) console.log(datasetLine(d));
          return;
        }
        if (!o.dataset) {
          const known = datasets.length ? ` Datasets here: ${datasets.map((d) => d.name).join(', ')}.` : ' There are none yet: add --create to define one from the approved sessions.';
          throw new StationError('invalid_input', `Name the dataset to export with --dataset <name-or-id>.${known}`);
        }
        let dataset = findDataset(datasets, o.dataset);
        if (!dataset) {
          if (!o.create) throw new StationError('not_found', `No dataset "${o.dataset}". List them with \`heimdall-station export --list\`, or add --create to define it from the approved sessions.`);
          dataset = await createDataset(client, o.dataset, o.seed);
        }
        const job = await client.exportDataset({ dataset: dataset.id, format: o.format, outDir: o.out, upload: o.upload });
        const end = await runExport(client, job);
        console.log(`${end.state}: ${end.message}`);
        if (end.state !== 'done') process.exitCode = 1;
        else console.log(end.outDir);
      });
    });
}

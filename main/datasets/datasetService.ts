import path from 'node:path';
import { datasetSpecSchema, type Dataset, type DatasetPreview, type DatasetSpec, type ExportJob } from '../../shared/domain/datasets';
import { StationError, invalidInput } from '../../shared/errors';
import { type Logger } from '../base/log';
import { type CaptureStore } from '../store/captureStore';
import { type DatasetRow, type DatasetsRepo } from '../store/datasetsRepo';
import { type LocateRepo } from '../store/locateRepo';
import { uuidv7 } from '../store/ids';
import { type SessionsRepo } from '../store/sessionsRepo';
import { stationSlug } from '../sync/objectKeys';
import { type SyncService } from '../sync/syncService';
import { buildExportPlan, type DatasetSpecParsed } from './datasetBuilder';
import { type ExportFormat, type ExportOptions, type ExportPlan, type ExportResult } from './exportModel';

export interface DatasetServiceDeps {
  repo: DatasetsRepo;
  sessions: SessionsRepo;
  captures: CaptureStore;
  /** Stored TDoA fixes, carried into exports next to the ground truth. */
  locates?: Pick<LocateRepo, 'briefFor'>;
  sync: SyncService;
  dataDir: string;
  stationName: () => string;
  log: Logger;
  changed: () => void;
  progress: (job: ExportJob) => void;
}

type Writer = (plan: ExportPlan, outDir: string, opts?: ExportOptions) => Promise<ExportResult>;

/** The writers load on first use: an operator who never exports never pays for them. */
async function writerFor(format: ExportFormat): Promise<Writer> {
  switch (format) {
    case 'sigmf':
      return (await import('./exportSigmf')).exportSigmf;
    case 'npy':
      return (await import('./exportNpy')).exportNpy;
    case 'manifest':
      return (await import('./exportManifest')).exportManifest;
  }
}

/** Progress events at most this often: an export of thousands of files must not flood the UI. */
const PROGRESS_EVERY_MS = 100;

/** Dataset definitions (filters, splits), previews, and export jobs with progress, cancel and upload. */
export function createDatasetService(d: DatasetServiceDeps) {
  const running = new Map<string, AbortController>();
  const interrupted = d.repo.failInterrupted('The station stopped during this export; nothing was left half-written. Export again.');
  if (interrupted) d.log.warn(`${interrupted} dataset export(s) were interrupted by the last shutdown`);

  const specOf = (r: DatasetRow): DatasetSpecParsed => datasetSpecSchema.parse({ ...JSON.parse(r.spec_json ?? '{}'), name: r.name, description: r.description });
  const find = (idOrName: string): DatasetRow => {
    const r = d.repo.get(idOrName) ?? d.repo.byName(idOrName);
    if (!r) throw new StationError('not_found', `No dataset "${idOrName}". List them with \`heimdall-station export --list\` or on the Datasets page.`);
    return r;
  };
  const build = (r: DatasetRow) => buildExportPlan({ repo: d.sessions, captures: d.captures, stationName: d.stationName(), locates: d.locates }, { id: r.id, createdAt: r.created_at, spec: specOf(r) });
  const view = (r: DatasetRow): Dataset => {
    const spec = specOf(r);
    return { id: r.id, name: r.name, description: r.description, filters: spec.filters, ratios: spec.ratios, seed: spec.seed, createdAt: r.created_at, preview: build(r).preview, exports: d.repo.exports(r.id) };
  };
  const parse = (spec: DatasetSpec): DatasetSpecParsed => {
    const p = datasetSpecSchema.safeParse(spec);
    if (!p.success) throw invalidInput('The dataset', p.error);
    return p.data;
  };

  async function runExport(job: ExportJob, plan: ExportPlan, upload: boolean, signal: AbortSignal): Promise<void> {
    const sampleBytes = job.totalBytes;
    let last = 0;
    const report = (force = false) => {
      const now = Date.now();
      if (!force && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      d.repo.saveExport(job);
      d.progress({ ...job });
    };
    try {
      const write = await writerFor(job.format);
      const result = await write(plan, job.outDir, {
        signal,
        // The upload signs and checks each file with its sha256: taken as the bytes are written, only when they will be sent.
        fileHashes: upload,
        onProgress: (p) => {
          // Writers count every pass over the bytes (a SigMF export hashes, then copies); the
          // operator is shown the share of the dataset's sample bytes done, which matches the preview.
          const share = p.totalBytes > 0 ? Math.min(1, p.doneBytes / p.totalBytes) : p.totalSamples > 0 ? p.doneSamples / p.totalSamples : 1;
          Object.assign(job, { phase: p.phase, doneSamples: p.doneSamples, totalSamples: p.totalSamples, doneBytes: Math.round(share * sampleBytes), totalBytes: sampleBytes });
          report(p.phase === 'done');
        },
      });
      d.repo.addMembers(
        plan.datasetId,
        plan.samples.flatMap((s) => s.measurementIds.map((m) => ({ id: uuidv7(), measurementId: m }))),
      );
      job.message = `${result.samples} samples in ${result.files.length} files at ${job.outDir}`;
      if (upload) {
        job.phase = 'uploading';
        report(true);
        // Loaded on use: the uploader brings the S3 and PostgreSQL clients, which sync also loads lazily.
        const { uploadDatasetExport } = await import('./datasetUpload');
        job.uploadedTo = await uploadDatasetExport({ sync: d.sync, log: d.log }, plan, result, signal, (done, total) => {
          job.message = `uploading ${done}/${total} files`;
          report();
        });
        job.message = `${result.samples} samples in ${result.files.length} files at ${job.outDir}; uploaded to ${job.uploadedTo} and registered in training_datasets`;
      }
      job.state = 'done';
      job.phase = 'done';
    } catch (e) {
      const cancelled = signal.aborted || (e instanceof StationError && e.code === 'cancelled');
      job.state = cancelled ? 'cancelled' : 'failed';
      job.message = cancelled ? 'Cancelled; nothing was left half-written.' : (e as Error).message;
      if (!cancelled) d.log.error(`export ${job.id} failed: ${job.message}`);
    } finally {
      running.delete(job.id);
      job.finishedAt = new Date().toISOString();
      report(true);
      d.changed();
    }
  }

  return {
    list: (): Dataset[] => d.repo.list().map(view),
    preview(spec: DatasetSpec): DatasetPreview {
      const parsed = parse(spec);
      return buildExportPlan({ repo: d.sessions, captures: d.captures, stationName: d.stationName(), locates: d.locates }, { id: 'preview', createdAt: new Date().toISOString(), spec: parsed }).preview;
    },
    create(spec: DatasetSpec): Dataset {
      const parsed = parse(spec);
      if (d.repo.byName(parsed.name)) throw new StationError('conflict', `A dataset named "${parsed.name}" already exists. Choose another name.`);
      const r = d.repo.create({ name: parsed.name, description: parsed.description, notes: null, spec_json: JSON.stringify({ filters: parsed.filters, ratios: parsed.ratios, seed: parsed.seed }) });
      d.changed();
      return view(r);
    },
    delete(id: string): boolean {
      const r = find(id);
      if ([...running.keys()].some((j) => d.repo.getExport(j)?.datasetId === r.id)) throw new StationError('conflict', 'This dataset is being exported. Cancel the export first.');
      const ok = d.repo.delete(r.id);
      d.changed();
      return ok;
    },
    /** Starts an export and returns its job at once; `done` resolves when it ends (for the CLI). */
    startExport(input: { dataset: string; format: ExportFormat; outDir?: string; upload: boolean }): { job: ExportJob; done: Promise<ExportJob> } {
      const r = find(input.dataset);
      const { plan, preview } = build(r);
      if (preview.samples === 0) {
        const why = preview.excluded.map((x) => `${x.count} ${x.reason}`).join(', ');
        throw new StationError('conflict', `Dataset "${r.name}" holds no recordings${why ? ` (${why})` : ''}. Approve segments of sessions in review, or widen the filters.`);
      }
      if (input.upload) {
        const s = d.sync.resolvedSettings();
        if (!s.settings.s3.endpoint) throw new StationError('invalid_input', 'Uploading needs the central store: set the MinIO/S3 endpoint with `heimdall-station sync configure` or on the Sync page, or export without upload.');
      }
      const outDir = path.resolve(input.outDir ?? path.join(d.dataDir, 'exports', `${stationSlug(r.name)}-${input.format}-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}`));
      const job: ExportJob = {
        id: uuidv7(),
        datasetId: r.id,
        format: input.format,
        outDir,
        state: 'running',
        phase: 'writing',
        doneSamples: 0,
        totalSamples: plan.samples.length,
        doneBytes: 0,
        totalBytes: preview.bytes,
        message: '',
        startedAt: new Date().toISOString(),
        finishedAt: null,
        uploadedTo: null,
      };
      d.repo.saveExport(job, true);
      const ac = new AbortController();
      running.set(job.id, ac);
      d.progress({ ...job });
      const done = runExport(job, plan, input.upload, ac.signal).then(() => ({ ...job }));
      return { job: { ...job }, done };
    },
    cancel(jobId: string): ExportJob {
      const job = d.repo.getExport(jobId);
      if (!job) throw new StationError('not_found', `No export job ${jobId}.`);
      running.get(jobId)?.abort();
      return d.repo.getExport(jobId)!;
    },
    async close(): Promise<void> {
      for (const ac of running.values()) ac.abort();
    },
  };
}
export type DatasetService = ReturnType<typeof createDatasetService>;

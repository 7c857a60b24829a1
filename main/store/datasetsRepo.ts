import { type ExportJob } from '../../shared/domain/datasets';
import { type Db } from './database';
import { uuidv7 } from './ids';

export interface DatasetRow {
  id: string;
  name: string;
  description: string | null;
  notes: string | null;
  spec_json: string | null;
  created_at: string;
  updated_at: string;
}

interface ExportRow {
  id: string;
  dataset_id: string;
  format: ExportJob['format'];
  out_dir: string;
  state: ExportJob['state'];
  phase: string;
  message: string;
  done_samples: number;
  total_samples: number;
  done_bytes: number;
  total_bytes: number;
  started_at: string;
  finished_at: string | null;
  uploaded_to: string | null;
}

const toJob = (r: ExportRow): ExportJob => ({
  id: r.id,
  datasetId: r.dataset_id,
  format: r.format,
  outDir: r.out_dir,
  state: r.state,
  phase: r.phase,
  doneSamples: r.done_samples,
  totalSamples: r.total_samples,
  doneBytes: r.done_bytes,
  totalBytes: r.total_bytes,
  message: r.message,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  uploadedTo: r.uploaded_to,
});

/** Dataset definitions, their measurement membership and their export jobs. */
export function createDatasetsRepo(db: Db) {
  const all = db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY created_at DESC');
  const byId = db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE id = ?');
  const byName = db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE name = ? COLLATE NOCASE');
  const insert = db.prepare<DatasetRow>('INSERT INTO datasets (id, name, description, notes, spec_json, created_at, updated_at) VALUES (@id, @name, @description, @notes, @spec_json, @created_at, @updated_at)');
  const del = db.prepare<[string]>('DELETE FROM datasets WHERE id = ?');
  const addMember = db.prepare<[string, string, string, string]>('INSERT OR IGNORE INTO dataset_measurements (id, dataset_id, measurement_id, created_at) VALUES (?, ?, ?, ?)');
  const exportsOf = db.prepare<[string], ExportRow>('SELECT * FROM dataset_exports WHERE dataset_id = ? ORDER BY started_at DESC');
  const exportById = db.prepare<[string], ExportRow>('SELECT * FROM dataset_exports WHERE id = ?');
  const insertExport = db.prepare<ExportRow>(
    `INSERT INTO dataset_exports (id, dataset_id, format, out_dir, state, phase, message, done_samples, total_samples, done_bytes, total_bytes, started_at, finished_at, uploaded_to)
     VALUES (@id, @dataset_id, @format, @out_dir, @state, @phase, @message, @done_samples, @total_samples, @done_bytes, @total_bytes, @started_at, @finished_at, @uploaded_to)`,
  );
  const updateExport = db.prepare<ExportRow>(
    `UPDATE dataset_exports SET state = @state, phase = @phase, message = @message, done_samples = @done_samples, total_samples = @total_samples,
       done_bytes = @done_bytes, total_bytes = @total_bytes, finished_at = @finished_at, uploaded_to = @uploaded_to WHERE id = @id`,
  );
  const interrupted = db.prepare<[string, string]>(
    "UPDATE dataset_exports SET state = 'failed', message = ?, finished_at = ? WHERE state = 'running'",
  );
  return {
    list: (): DatasetRow[] => all.all(),
    get: (id: string): DatasetRow | undefined => byId.get(id),
    byName: (name: string): DatasetRow | undefined => byName.get(name),
    create(r: Omit<DatasetRow, 'id' | 'created_at' | 'updated_at'>): DatasetRow {
      const t = new Date().toISOString();
      const row = { ...r, id: uuidv7(), created_at: t, updated_at: t };
      insert.run(row);
      return row;
    },
    delete: (id: string) => del.run(id).changes > 0,
    addMembers: db.transaction((datasetId: string, ids: { id: string; measurementId: string }[]) => {
      const t = new Date().toISOString();
      for (const m of ids) addMember.run(m.id, datasetId, m.measurementId, t);
    }),
    exports: (datasetId: string): ExportJob[] => exportsOf.all(datasetId).map(toJob),
    getExport: (id: string): ExportJob | undefined => {
      const r = exportById.get(id);
      return r ? toJob(r) : undefined;
    },
    saveExport(j: ExportJob, insertNew = false): void {
      const row: ExportRow = {
        id: j.id,
        dataset_id: j.datasetId,
        format: j.format,
        out_dir: j.outDir,
        state: j.state,
        phase: j.phase,
        message: j.message,
        done_samples: j.doneSamples,
        total_samples: j.totalSamples,
        done_bytes: j.doneBytes,
        total_bytes: j.totalBytes,
        started_at: j.startedAt,
        finished_at: j.finishedAt,
        uploaded_to: j.uploadedTo,
      };
      (insertNew ? insertExport : updateExport).run(row);
    },
    /** At start-up: exports a crashed run left running never finished (their temp folders are gone or swept). */
    failInterrupted: (message: string) => interrupted.run(message, new Date().toISOString()).changes,
  };
}
export type DatasetsRepo = ReturnType<typeof createDatasetsRepo>;

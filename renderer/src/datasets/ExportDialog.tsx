import { useEffect, useState } from 'react';
import { type Dataset, type DatasetExportFormat, type ExportJob } from '../../../shared/domain/datasets';
import { useStation } from '../station/StationContext';
import { Dialog, Field } from '../ui/Dialog';
import { errorText, fmtBytes } from '../ui/format';

const FORMATS: Array<{ id: DatasetExportFormat; title: string; text: string }> = [
  { id: 'sigmf', title: 'SigMF', text: 'One .sigmf archive (meta + data) per receiver recording, annotated with the transmissions and the source position, plus a collection per transmission.' },
  { id: 'npy', title: 'NumPy', text: 'The Heimdall training layout: train/, val/, test/ with per transmission an IQ array of all receivers (complex64), the [lat, lon] label and metadata.' },
  { id: 'manifest', title: 'Manifest only', text: 'manifest.csv and manifest.jsonl: one row per recording with its split, receiver, source, metrics and checksum; no samples copied.' },
];

export const FORMAT_NAME: Record<DatasetExportFormat, string> = { sigmf: 'SigMF', npy: 'NumPy', manifest: 'Manifest' };

export function jobPercent(job: ExportJob): number {
  if (job.state === 'done') return 100;
  if (job.totalBytes > 0) return Math.min(100, (job.doneBytes / job.totalBytes) * 100);
  if (job.totalSamples > 0) return Math.min(100, (job.doneSamples / job.totalSamples) * 100);
  return 0;
}

export function ExportProgress({ job }: { job: ExportJob }) {
  const pct = jobPercent(job);
  return (
    <div className={`export-progress export-${job.state}`} data-testid="export-progress" data-state={job.state}>
      <div className="export-line">
        <span className="export-phase">
          {job.state === 'running' ? `${(job.phase || 'exporting').replace(/^./, (c) => c.toUpperCase())}…` : job.state === 'done' ? '✓ Done' : job.state === 'cancelled' ? 'Cancelled' : '✗ Failed'}
        </span>
        <span className="mono" data-testid="export-percent">
          {Math.floor(pct)} %
        </span>
      </div>
      <div className="hs-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.floor(pct)} aria-label={`Export ${job.format}`}>
        <div style={{ width: `${pct}%` }} />
      </div>
      <div className="muted small mono">
        {job.doneSamples} of {job.totalSamples} samples · {fmtBytes(job.doneBytes)} of {fmtBytes(job.totalBytes)}
      </div>
      {job.message && job.state !== 'running' && <p className={job.state === 'failed' ? 'field-msg' : 'muted small'}>{job.message}</p>}
    </div>
  );
}

/** Choose a format and folder, start the export, follow it to 100 % (or cancel it). */
export function ExportDialog({ dataset, job, onStarted, onClose }: { dataset: Dataset; job: ExportJob | null; onStarted: (j: ExportJob) => void; onClose: () => void }) {
  const station = useStation();
  const [format, setFormat] = useState<DatasetExportFormat>('sigmf');
  const [outDir, setOutDir] = useState('');
  const [upload, setUpload] = useState(false);
  const [dataDir, setDataDir] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    station.getStationInfo().then((i) => setDataDir(i.dataDir), () => undefined);
  }, [station]);
  const slug = dataset.name.replace(/[^A-Za-z0-9._-]+/g, '-');
  const defaultDir = dataDir ? `${dataDir}/exports/${slug}-${format}` : `<data folder>/exports/${slug}-${format}`;

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      onStarted(await station.exportDataset({ dataset: dataset.id, format, ...(outDir.trim() ? { outDir: outDir.trim() } : {}), upload }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const cancel = async () => {
    if (!job) return;
    try {
      onStarted(await station.cancelExport({ id: job.id }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const running = job?.state === 'running';
  return (
    <Dialog
      error={error}
      title={`Export “${dataset.name}”`}
      onClose={onClose}
      onSubmit={() => void (job && !running ? onClose() : !job ? start() : undefined)}
      wide
      testId="export-dialog"
      actions={
        job ? (
          running ? (
            <>
              <button type="button" className="btn btn-ghost" onClick={onClose}>
                Hide (keeps running)
              </button>
              <button type="button" className="btn btn-danger" onClick={() => void cancel()}>
                Cancel export
              </button>
            </>
          ) : (
            <>
              {job.state === 'done' && (
                <button
                  type="button"
                  className="btn"
                  onClick={() => void navigator.clipboard?.writeText(job.outDir).then(() => setCopied(true), () => setError(`Copy did not work here; the folder is ${job.outDir}`))}
                >
                  {copied ? '✓ Copied' : 'Copy folder path'}
                </button>
              )}
              <button type="submit" className="btn btn-primary" data-autofocus>
                Close
              </button>
            </>
          )
        ) : (
          <>
            <button type="button" className="btn btn-ghost" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy || dataset.preview.samples === 0}>
              {busy ? 'Starting…' : 'Start export'}
            </button>
          </>
        )
      }
    >
      {!job ? (
        <>
          <p className="muted">
            {dataset.preview.samples} samples from {dataset.preview.sessions} sessions, about {fmtBytes(dataset.preview.bytes)}.
            {dataset.preview.samples === 0 && ' Nothing to export: this dataset matches no approved recordings.'}
          </p>
          <div className="format-cards" role="radiogroup" aria-label="Format">
            {FORMATS.map((f) => (
              <label key={f.id} className={format === f.id ? 'format-card on' : 'format-card'}>
                <input type="radio" name="format" value={f.id} checked={format === f.id} onChange={() => setFormat(f.id)} />
                <strong>{f.title}</strong>
                <span className="muted small">{f.text}</span>
              </label>
            ))}
          </div>
          <Field label="Output folder" hint={`Created on the station machine; must not exist yet or be empty. Empty = ${defaultDir}`}>
            <input name="outDir" className="mono" value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder={defaultDir} />
          </Field>
          <label className="field field-check">
            <input name="upload" type="checkbox" checked={upload} onChange={(e) => setUpload(e.target.checked)} />
            <span>Upload to the central store when done (needs the central-store settings on the Sync page)</span>
          </label>
        </>
      ) : (
        <>
          <p className="muted">
            {FORMAT_NAME[job.format]} into <span className="mono">{job.outDir}</span>
          </p>
          <ExportProgress job={job} />
          {job.uploadedTo && <p className="hs-note">Uploaded to {job.uploadedTo}.</p>}
          {running && <p className="muted small">You can hide this window: the export goes on and its progress stays in the list.</p>}
        </>
      )}
    </Dialog>
  );
}

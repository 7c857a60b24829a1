import { useNewShortcut } from '../ui/useNewShortcut';
import { useCallback, useEffect, useState } from 'react';
import { type Dataset, type ExportJob } from '../../../shared/domain/datasets';
import { type Receiver } from '../../../shared/domain/receiver';
import { type KnownSource, type SessionSummary } from '../../../shared/domain/sessions';
import { useToast } from '../ui/Toasts';
import { DatasetCard } from './DatasetCard';
import { DatasetForm } from './DatasetForm';
import { ExportDialog } from './ExportDialog';
import { errorText } from '../ui/format';
import { useStationEvents } from '../ui/hooks';
import { useConnectionState, useStation } from '../station/StationContext';
import '../ui/ui.css';
import './datasets.css';
import { LoadState } from '../ui/LoadState';

/** Replies and events can cross: keep whichever view of a job is further along. */
function newerJob(known: ExportJob | undefined, next: ExportJob): ExportJob {
  if (!known) return next;
  if (known.state !== 'running' && next.state === 'running') return known;
  if (known.state === 'running' && next.state === 'running' && known.doneBytes + known.doneSamples > next.doneBytes + next.doneSamples) return known;
  return next;
}

export function DatasetsPage() {
  const station = useStation();
  const connection = useConnectionState();
  const toast = useToast();
  const [datasets, setDatasets] = useState<Dataset[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [sources, setSources] = useState<KnownSource[]>([]);
  const [receivers, setReceivers] = useState<Receiver[]>([]);
  /** Live export jobs by id, fed by export.progress events (newer than the dataset list). */
  const [jobs, setJobs] = useState<Record<string, ExportJob>>({});
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState<{ datasetId: string; jobId: string | null } | null>(null);

  const reload = useCallback(() => {
    station.listDatasets().then(
      (list) => {
        setDatasets(list);
        setLoadError(null);
      },
      (e: Error) => setLoadError(`Could not load the datasets: ${e.message}`),
    );
  }, [station]);
  const reloadContext = useCallback(() => {
    station.listSessions().then(setSessions, () => undefined);
    station.listKnownSources().then(setSources, () => undefined);
    station.listReceivers().then(setReceivers, () => undefined);
  }, [station]);

  useEffect(() => {
    if (connection !== 'open') return;
    reload();
    reloadContext();
  }, [connection, reload, reloadContext]);

  useStationEvents((ev) => {
    if (ev.type === 'datasets.changed') reload();
    if (ev.type === 'sessions.changed' || ev.type === 'sources.changed' || ev.type === 'receivers.changed') reloadContext();
    if (ev.type === 'export.progress') {
      setJobs((j) => ({ ...j, [ev.job.id]: newerJob(j[ev.job.id], ev.job) }));
      if (ev.job.state !== 'running') reload();
    }
  });

  useNewShortcut(() => setCreating(true));

  /** The newest view of each export of a dataset: the live job when there is one. */
  const jobsOf = (d: Dataset): ExportJob[] => {
    const byId = new Map(d.exports.map((j) => [j.id, j]));
    for (const j of Object.values(jobs)) if (j.datasetId === d.id) byId.set(j.id, j);
    return [...byId.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  };

  const remove = async (d: Dataset) => {
    try {
      await station.deleteDataset({ id: d.id });
      reload();
      toast({
        kind: 'info',
        text: `Deleted ${d.name}. Files already exported stay where they are.`,
        action: {
          label: 'Undo',
          run: () =>
            void station
              .createDataset({ name: d.name, description: d.description, filters: d.filters, ratios: d.ratios, seed: d.seed })
              .then(reload, (e: unknown) => toast({ kind: 'error', text: errorText(e) })),
        },
      });
    } catch (e) {
      toast({ kind: 'error', text: errorText(e) });
    }
  };
  const cancelJob = async (j: ExportJob) => {
    try {
      const next = await station.cancelExport({ id: j.id });
      setJobs((m) => ({ ...m, [next.id]: newerJob(m[next.id], next) }));
    } catch (e) {
      toast({ kind: 'error', text: `Could not cancel the export: ${errorText(e)}` });
    }
  };

  const exportDataset = exporting ? datasets?.find((d) => d.id === exporting.datasetId) : undefined;
  const exportJob = exporting?.jobId ? (jobs[exporting.jobId] ?? exportDataset?.exports.find((j) => j.id === exporting.jobId) ?? null) : null;

  return (
    <section className="page datasets-page">
      <header className="page-header">
        <h1>Datasets</h1>
        <div className="page-actions">
          <button className="btn btn-primary" onClick={() => setCreating(true)} aria-keyshortcuts="N">
            New dataset <kbd>N</kbd>
          </button>
        </div>
      </header>
      <LoadState error={loadError} loading={datasets === null} what="datasets" />
      {datasets?.length === 0 && (
        <div className="empty-state">
          <h2>No datasets yet</h2>
          <p>
            A dataset picks approved recordings (by session, source, frequency, receivers, dates, minimum SNR), splits them into train, validation and test by
            session with a fixed seed, and exports them as SigMF, NumPy or a manifest.
          </p>
          {sessions.some((s) => s.state === 'approved') ? (
            <p>You have {sessions.filter((s) => s.state === 'approved').length} approved sessions to build from.</p>
          ) : (
            <p className="hs-warn">There are no approved sessions yet: record a session and approve it on the Sessions page (Alt+3) first.</p>
          )}
          <div className="page-actions">
            <button className="btn btn-primary" onClick={() => setCreating(true)}>
              New dataset
            </button>
          </div>
        </div>
      )}
      <div className="ds-list">
        {datasets?.map((d) => (
          <DatasetCard
            key={d.id}
            dataset={d}
            jobs={jobsOf(d)}
            sessions={sessions}
            sources={sources}
            receivers={receivers}
            onExport={() => setExporting({ datasetId: d.id, jobId: null })}
            onDelete={() => void remove(d)}
            onCancelJob={(j) => void cancelJob(j)}
          />
        ))}
      </div>
      {creating && (
        <DatasetForm
          sessions={sessions}
          sources={sources}
          receivers={receivers}
          onCancel={() => setCreating(false)}
          onCreated={(d) => {
            setCreating(false);
            setDatasets((list) => [d, ...(list ?? []).filter((x) => x.id !== d.id)]);
            toast({ kind: 'info', text: `Dataset “${d.name}” saved: ${d.preview.samples} samples. Export it when you are ready.` });
          }}
        />
      )}
      {exporting && exportDataset && (
        <ExportDialog
          dataset={exportDataset}
          job={exportJob}
          onStarted={(j) => {
            setJobs((m) => ({ ...m, [j.id]: newerJob(m[j.id], j) }));
            setExporting({ datasetId: j.datasetId, jobId: j.id });
          }}
          onClose={() => setExporting(null)}
        />
      )}
    </section>
  );
}

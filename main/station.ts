import path from 'node:path';
import { type StationApiImpl } from '../shared/api';
import { StationError } from '../shared/errors';
import { createStationApi } from './api/stationApi';
import { createMonitorService } from './capture/monitorService';
import { createEventBus } from './base/events';
import { createHealthMonitor } from './receivers/health/healthMonitor';
import { createHealthRepo } from './receivers/health/healthRepo';
import { consoleLogger, type Logger } from './base/log';
import { loadReceiverSets } from './receivers/receiverSets';
import { createReceiverService } from './receivers/receiverService';
import { createReceiverRegistry, type ReceiverRegistry } from './receivers/registry';
import { fileSecretStore, withEnvironmentOverrides, type SecretStore } from './secrets/secretStore';
import { openDatabase } from './store/database';
import { createSettingsRepo } from './store/settingsRepo';
import { createCaptureStore, type CaptureStore } from './store/captureStore';
import { createSyncService, type SyncService } from './sync/syncService';
import { STATION_VERSION } from './base/version';
import { createDspPool, type DspPool } from './dsp/pool';
import { createSessionsRepo } from './store/sessionsRepo';
import { createDatasetsRepo } from './store/datasetsRepo';
import { createLocateRepo } from './store/locateRepo';
import { createKnownSources } from './sessions/knownSources';
import { createSessionService, type SessionService } from './sessions/sessionService';
import { createDatasetService, type DatasetService } from './datasets/datasetService';
import { createAudioService } from './audio/audioService';
import { createLocateService, type LocateService } from './locate/locateService';

export interface StationOptions {
  dataDir: string;
  /** Folder holding receivers/ sets, the base map and sample recordings. */
  resourcesDir: string;
  runtime?: 'electron' | 'headless';
  demo?: boolean;
  /** The Electron shell passes a safeStorage-backed store; headless uses a 0600 file. */
  secrets?: SecretStore;
  log?: Logger;
  /** Probe receivers' status endpoints on a schedule (off in tests unless asked). */
  healthIntervalMs?: number | null;
  /** Run the sync loop in the background (off in tests unless asked; `sync` runs it on demand). */
  backgroundSync?: boolean;
  /** Sync runs when started even if the settings say disabled (the `sync` command is an explicit request). */
  syncWhenDisabled?: boolean;
}

export interface Station {
  api: StationApiImpl;
  receivers: ReceiverRegistry;
  captures: CaptureStore;
  sync: SyncService;
  sessions: SessionService;
  datasets: DatasetService;
  locate: LocateService;
  log: Logger;
  dataDir: string;
  close(): Promise<void>;
}

/** The composition root: everything the station is, wired once, for the shell, the CLI and tests. */
export function createStation(opts: StationOptions): Station {
  const log = opts.log ?? consoleLogger();
  const dataDir = path.resolve(opts.dataDir);
  const store = openDatabase(dataDir, log);
  const secrets = opts.secrets ?? withEnvironmentOverrides(fileSecretStore(path.join(dataDir, 'secrets.json')));
  const receivers = createReceiverRegistry(store.db, secrets);
  const events = createEventBus();
  // Each service announces its own changes on the bus (the API layer publishes nothing).
  const settings = createSettingsRepo(store.db, () => events.publish({ type: 'settings.changed' }));
  const startedAt = new Date().toISOString();
  const identUser = () => `heimdall-station ${settings.get().callsign}`.trim();
  const monitor = createMonitorService({
    receivers,
    identUser,
    log,
    // `sessions` is created below; this runs only when someone starts the monitor.
    busy: () => (sessions.isRecording() ? 'A session is recording on the receivers. Watch it on the Sessions page, or stop the session before starting the live monitor.' : null),
  });
  const captures = createCaptureStore({ db: store.db, dataDir, log });
  // Recordings a crash interrupted are adopted up to their last durable mark before anything else looks at the files.
  captures.adoptReserved();
  const orphans = captures.recoverOrphans();
  if (orphans.length) log.warn(`removed ${orphans.length} unfinished sample file(s) left by the last run (never acknowledged)`);
  const sync = createSyncService({ db: store.db, dataDir, secrets, log, captureStore: captures, stationName: () => settings.get().stationName, ignoreEnabledSetting: opts.syncWhenDisabled });
  sync.on((status) => events.publish({ type: 'sync.status', status }));
  if (opts.backgroundSync) sync.start();
  const healthRepo = createHealthRepo(store.db);
  const healthMonitor = createHealthMonitor({ receivers, repo: healthRepo, log, intervalMs: opts.healthIntervalMs ?? undefined, changed: () => events.publish({ type: 'health.changed' }) });
  if (opts.healthIntervalMs) healthMonitor.start();
  // DSP workers start on first use (a session or a spectrum), not with the station.
  let dspPool: DspPool | null = null;
  const pool = () => (dspPool ??= createDspPool());
  const sessionsRepo = createSessionsRepo(store.db);
  const sessions = createSessionService({
    repo: sessionsRepo,
    captures,
    receivers,
    pool,
    log,
    dataDir,
    identUser,
    stopMonitor: () => monitor.stop(),
    changed: (sessionId) => events.publish({ type: 'sessions.changed', sessionId }),
  });
  const recovered = sessions.recover();
  if (recovered.length) log.warn(`${recovered.length} session(s) were recording when the station stopped; they were ended with what was captured and are in review`);
  const locateRepo = createLocateRepo(store.db);
  const datasets = createDatasetService({
    repo: createDatasetsRepo(store.db),
    sessions: sessionsRepo,
    captures,
    locates: locateRepo,
    sync,
    dataDir,
    stationName: () => settings.get().stationName,
    log,
    changed: () => events.publish({ type: 'datasets.changed' }),
    progress: (job) => events.publish({ type: 'export.progress', job }),
  });
  const locate = createLocateService({
    sessions: sessionsRepo,
    captures,
    repo: locateRepo,
    pool,
    log,
    kindOf: (id) => {
      try {
        return receivers.get(id).kind;
      } catch {
        return null;
      }
    },
    progress: (job) => events.publish({ type: 'locate.progress', job }),
    changed: (sessionId) => events.publish({ type: 'sessions.changed', sessionId }),
  });
  const audio = createAudioService({
    store: captures,
    log,
    sessionPassband: (id) => sessions.get(id).passband ?? null,
    changed: (receiverId) => events.publish({ type: 'listen.changed', receiverId }),
  });
  for (const [owner, source] of [['monitor', monitor], ['session', sessions]] as const) {
    source.onRun(({ run, spec }) => (spec ? audio.live.attach(owner, run, spec) : audio.live.detach(owner, run)));
  }
  const api = createStationApi({
    info: () => ({
      name: settings.get().stationName,
      version: STATION_VERSION,
      dataDir,
      runtime: opts.runtime ?? 'headless',
      demo: opts.demo ?? false,
      startedAt,
      uncleanShutdownRecovered: store.recoveredFromUncleanShutdown,
    }),
    receivers: createReceiverService({ registry: receivers, sets: loadReceiverSets(opts.resourcesDir), changed: () => events.publish({ type: 'receivers.changed' }) }),
    settings,
    events,
    monitor,
    health: healthMonitor,
    sync,
    sources: createKnownSources(sessionsRepo, () => events.publish({ type: 'sources.changed' })),
    sessions,
    datasets,
    importRecordings: async (paths, { source, ...opts }) => {
      const { importRecordingFiles } = await import('./import/importRecordings');
      const known = source ? (sessionsRepo.getSource(source) ?? sessionsRepo.sourceByName(source)) : undefined;
      if (source && !known) throw new StationError('not_found', `No known source "${source}". Add it to the catalogue first (Sessions > Known sources), or leave it out.`);
      return importRecordingFiles({ captures, receivers, log, sessions, pool }, paths, { ...opts, sourceId: known?.id ?? null });
    },
    audio,
    locate,
  });
  let closed = false;
  return {
    api,
    receivers,
    captures,
    sync,
    sessions,
    datasets,
    locate,
    log,
    dataDir,
    async close() {
      if (closed) return;
      closed = true;
      await sessions.close();
      await datasets.close();
      await locate.close();
      await monitor.stop();
      await healthMonitor.stop();
      await sync.stop();
      await dspPool?.close();
      await audio.close();
      store.close();
    },
  };
}

import { type StationApiImpl, type StationInfo } from '../../shared/api';
import { type ReceiverSetFile } from '../../shared/domain/receiver';
import { StationError } from '../../shared/errors';
import { type MonitorService, type RowsMessage } from '../capture/monitorService';
import { type EventBus } from '../base/events';
import { type HealthMonitor } from '../receivers/health/healthMonitor';
import { type HealthRepo } from '../receivers/health/healthRepo';
import { type SyncService } from '../sync/syncService';
import { type ReceiverRegistry } from '../receivers/registry';
import { parseReceiverList } from '../receivers/import/receiverLists';
import { findReceiverSet } from '../receivers/receiverSets';
import { identifyReceiver } from '../receivers/identify';
import { normalizeReceiverUrl } from '../receivers/registry';
import { type SettingsRepo } from '../store/settingsRepo';
import { type KnownSources } from '../sessions/knownSources';
import { type SessionService } from '../sessions/sessionService';
import { type DatasetService } from '../datasets/datasetService';
import { type ImportOptions, type ImportReport } from '../import/importRecordings';
import { type AudioService } from '../audio/audioService';
import { type LocateService } from '../locate/locateService';

export interface StationServices {
  info: () => StationInfo;
  receivers: ReceiverRegistry;
  receiverSets: ReceiverSetFile[];
  settings: SettingsRepo;
  events: EventBus;
  monitor: MonitorService;
  health: { repo: HealthRepo; monitor: HealthMonitor };
  sync: SyncService;
  sources: KnownSources;
  sessions: SessionService;
  datasets: DatasetService;
  importRecordings: (paths: string[], opts: ImportOptions & { source?: string }) => Promise<ImportReport>;
  audio: AudioService;
  locate: LocateService;
}

/** The one implementation of the contract; each method delegates to a service. */
export function createStationApi(s: StationServices): StationApiImpl {
  const changed = (type: 'receivers.changed' | 'settings.changed' | 'health.changed') => s.events.publish({ type });
  return {
    getStationInfo: () => s.info(),
    listReceivers: () => s.receivers.list(),
    getReceiver: ({ id }) => s.receivers.get(id),
    createReceiver: (input) => {
      const r = s.receivers.create(input);
      changed('receivers.changed');
      return r;
    },
    updateReceiver: ({ id, patch }) => {
      const r = s.receivers.update(id, patch);
      changed('receivers.changed');
      return r;
    },
    deleteReceiver: ({ id }) => {
      const deleted = s.receivers.delete(id);
      if (!deleted) throw new StationError('not_found', `No receiver with id ${id}. It may have been deleted already; reload the list.`);
      changed('receivers.changed');
      return { deleted };
    },
    listReceiverHealth: () => s.health.repo.summary(s.receivers.list().map((r) => r.id)),
    probeReceivers: async ({ ids }) => {
      if (ids) for (const id of ids) s.receivers.get(id);
      await s.health.monitor.probeNow(ids);
      return s.health.repo.summary(ids ?? s.receivers.list().map((r) => r.id));
    },
    identifyReceiver: ({ url }) => identifyReceiver(url),
    listReceiverSets: () => s.receiverSets.map((set) => ({ id: set.id, name: set.name, description: set.description, count: set.receivers.length })),
    loadReceiverSet: ({ setId }) => {
      const set = findReceiverSet(s.receiverSets, setId);
      let added = 0;
      for (const r of set.receivers) {
        if (s.receivers.hasUrl(r.url)) continue;
        s.receivers.create(r);
        added++;
      }
      if (added > 0) changed('receivers.changed');
      return { added, skipped: set.receivers.length - added };
    },
    importReceivers: ({ text, format, dryRun }) => {
      const parsed = parseReceiverList(text, format);
      let added = 0;
      const seen = new Set<string>();
      for (const c of parsed.candidates) {
        const key = normalizeReceiverUrl(c.url);
        if (seen.has(key) || s.receivers.hasUrl(c.url)) continue;
        seen.add(key);
        if (!dryRun) s.receivers.create({ ...c, active: true });
        added++;
      }
      if (added > 0 && !dryRun) changed('receivers.changed');
      return { format: parsed.format, found: parsed.candidates.length, added, skipped: parsed.candidates.length - added, rejected: parsed.rejected.slice(0, 50) };
    },
    startMonitor: (input) => {
      // One user of the receivers' slots at a time: a recording session must not lose its links.
      if (s.sessions.isRecording()) throw new StationError('conflict', 'A session is recording on the receivers. Watch it on the Sessions page, or stop the session before starting the live monitor.');
      return s.monitor.start(input);
    },
    stopMonitor: () => s.monitor.stop(),
    getMonitor: () => s.monitor.status(),
    getSettings: () => s.settings.get(),
    getSyncStatus: () => s.sync.status(),
    getSyncSettings: () => s.sync.settings.get(),
    updateSyncSettings: (input) => s.sync.settings.update(input),
    testSyncConnection: ({ target, settings }) => s.sync.testConnection(target, settings),
    pauseSync: () => s.sync.pause(),
    resumeSync: () => s.sync.resume(),
    retrySync: ({ target }) => s.sync.retryFailed(target),
    syncNow: () => s.sync.syncNow(),
    listKnownSources: () => s.sources.list(),
    createKnownSource: (input) => {
      const r = s.sources.create(input);
      s.events.publish({ type: 'sources.changed' });
      return r;
    },
    updateKnownSource: ({ id, patch }) => {
      const r = s.sources.update(id, patch);
      s.events.publish({ type: 'sources.changed' });
      return r;
    },
    deleteKnownSource: ({ id }) => {
      const deleted = s.sources.delete(id);
      s.events.publish({ type: 'sources.changed' });
      return { deleted };
    },
    importKnownSourcesCsv: ({ text, dryRun }) => {
      const r = s.sources.importCsv(text, dryRun);
      if (!dryRun && r.added + r.updated > 0) s.events.publish({ type: 'sources.changed' });
      return r;
    },
    exportKnownSourcesCsv: () => ({ text: s.sources.exportCsv() }),
    listSessions: () => s.sessions.list(),
    getSession: ({ id }) => s.sessions.get(id),
    createSession: (input) => s.sessions.create(input),
    startSession: ({ id }) => s.sessions.start(id),
    markTransmit: ({ id, action, atMs }) => s.sessions.markTransmit(id, action, atMs),
    stopSession: ({ id }) => s.sessions.stop(id),
    abortSession: ({ id, reason }) => s.sessions.abort(id, reason),
    addSegment: ({ sessionId, startMs, endMs, label }) => s.sessions.addSegment(sessionId, startMs, endMs, label),
    deleteSegment: ({ sessionId, segmentId }) => s.sessions.deleteSegment(sessionId, segmentId),
    reviewSegment: (input) => s.sessions.review(input),
    decideSession: ({ id, decision, notes }) => s.sessions.decide(id, decision, notes),
    getSegmentSpectrum: ({ sessionId, segmentId, receiverId }) => s.sessions.spectrum(sessionId, segmentId, receiverId),
    importRecordings: ({ paths, ...opts }) => s.importRecordings(paths, opts),
    listDatasets: () => s.datasets.list(),
    previewDataset: (spec) => s.datasets.preview(spec),
    createDataset: (spec) => s.datasets.create(spec),
    deleteDataset: ({ id }) => ({ deleted: s.datasets.delete(id) }),
    exportDataset: (input) => s.datasets.startExport(input).job,
    cancelExport: ({ id }) => s.datasets.cancel(id),
    locateSession: (input) => s.locate.start(input).job,
    cancelLocate: ({ id }) => s.locate.cancel(id),
    listLocates: ({ sessionId }) => s.locate.list(sessionId),
    getLocate: ({ id }) => s.locate.get(id),
    getListen: () => s.audio.live.states(),
    setListen: ({ receiverId, listen }) => s.audio.live.set(receiverId, listen),
    getReviewWaterfall: (input) => s.audio.review.waterfall(input),
    updateSettings: (patch) => {
      const next = s.settings.update(patch);
      changed('settings.changed');
      return next;
    },
    streams: {
      stationEvents: (_params, emit, signal) => {
        const off = s.events.subscribe((e) => emit({ header: e }));
        signal.addEventListener('abort', off, { once: true });
      },
      receiverStates: (_params, emit, signal) => {
        const off = s.monitor.onState((c) => emit({ header: c }));
        const offSession = s.sessions.onState((c) => emit({ header: c }));
        signal.addEventListener('abort', () => (off(), offSession()), { once: true });
      },
      waterfall: ({ receiverIds }, emit, signal) => {
        const wanted = receiverIds.length ? new Set(receiverIds) : null;
        // Rows of the Live monitor and of a recording session share the stream: the UI shows whichever runs.
        const onRows = (m: RowsMessage) => {
          if (wanted && !wanted.has(m.receiverId)) return;
          emit({
            header: { receiverId: m.receiverId, rows: m.times.length, bins: m.bins, startHz: m.startHz, spanHz: m.spanHz, minDb: m.minDb, maxDb: m.maxDb, times: m.times, dropped: 0 },
            body: new Uint8Array(m.data),
          });
        };
        const off = s.monitor.onRows(onRows);
        const offSession = s.sessions.onRows(onRows);
        signal.addEventListener('abort', () => (off(), offSession()), { once: true });
      },
      audio: ({ receiverIds }, emit, signal) => s.audio.live.subscribe(receiverIds, emit, signal),
      reviewAudio: (params, emit, signal) => s.audio.review.stream(params, emit, signal),
    },
  };
}

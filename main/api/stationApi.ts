/**
 * The one implementation of the contract: each domain's part (main/api/<domain>.ts, mapping its
 * methods to the services) merged into one. Business rules and change events live in the services.
 */
import { type StationApiImpl, type StationInfo } from '../../shared/api';
import { type MonitorService } from '../capture/monitorService';
import { type EventBus } from '../base/events';
import { type HealthMonitor } from '../receivers/health/healthMonitor';
import { type ReceiverService } from '../receivers/receiverService';
import { type SyncService } from '../sync/syncService';
import { type SettingsRepo } from '../store/settingsRepo';
import { type KnownSources } from '../sessions/knownSources';
import { type SessionService } from '../sessions/sessionService';
import { type DatasetService } from '../datasets/datasetService';
import { type ImportOptions, type ImportReport } from '../import/importRecordings';
import { type AudioService } from '../audio/audioService';
import { type LocateService } from '../locate/locateService';
import { audioApi } from './audio';
import { datasetsApi } from './datasets';
import { healthApi } from './health';
import { locateApi } from './locate';
import { monitorApi } from './monitor';
import { receiversApi } from './receivers';
import { sessionsApi } from './sessions';
import { settingsApi } from './settings';
import { sourcesApi } from './sources';
import { stationApi } from './station';
import { syncApi } from './sync';

export interface StationServices {
  info: () => StationInfo;
  events: EventBus;
  receivers: ReceiverService;
  health: HealthMonitor;
  settings: SettingsRepo;
  monitor: MonitorService;
  sync: SyncService;
  sources: KnownSources;
  sessions: SessionService;
  datasets: DatasetService;
  importRecordings: (paths: string[], opts: ImportOptions & { source?: string }) => Promise<ImportReport>;
  audio: AudioService;
  locate: LocateService;
}

/** Each domain's implementation, by the domain names of shared/api.ts's apiDomains. */
export function createDomainApis(s: StationServices) {
  return {
    station: stationApi(s),
    receivers: receiversApi(s),
    health: healthApi(s),
    monitor: monitorApi(s),
    settings: settingsApi(s),
    sync: syncApi(s),
    sources: sourcesApi(s),
    sessions: sessionsApi(s),
    datasets: datasetsApi(s),
    locate: locateApi(s),
    audio: audioApi(s),
  };
}

export function createStationApi(s: StationServices): StationApiImpl {
  const d = createDomainApis(s);
  // Each domain implements exactly its own part (DomainImpl<typeof domain>), and the contract's merge
  // in shared/api.ts refuses a name two domains declare, so these spreads overwrite nothing but `streams`.
  return {
    ...d.station,
    ...d.receivers,
    ...d.health,
    ...d.monitor,
    ...d.settings,
    ...d.sync,
    ...d.sources,
    ...d.sessions,
    ...d.datasets,
    ...d.locate,
    ...d.audio,
    streams: { ...d.station.streams, ...d.monitor.streams, ...d.audio.streams },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { type MethodName } from '../../shared/api';
import { createStationClient, type StationClient } from '../../shared/client';
import { StationError } from '../../shared/errors';
import { dispatchCall, dispatchSubscribe } from '../api/dispatch';
import { consoleLogger } from '../base/log';
import { defaultDataDir, resourcesDir } from '../base/paths';
import { type Station } from '../station';

export const dataDirOption = ['--data-dir <dir>', 'the station data directory (default: the user data folder, or $HEIMDALL_DATA_DIR)'] as const;

export const resolveDataDir = (option: string | undefined): string => path.resolve(option ?? defaultDataDir());

/** A folder holds a station once its database exists. */
export const stationExists = (dataDir: string): boolean => fs.existsSync(path.join(dataDir, 'station.sqlite'));

/**
 * The one rule for a data directory without a station: commands that only read, upload or change
 * what is there never create one (they say so; listings show it as empty), commands that store
 * something (receiver add, source add, sync configure, import) create it and say so on stderr.
 */
export function noStationError(dataDir: string): StationError {
  return new StationError(
    'not_found',
    `There is no station in ${dataDir} yet (nothing was created there). Check --data-dir, or start one there by adding a receiver: heimdall-station receiver add <url> --data-dir ${dataDir}`,
  );
}

/** What the CLI calls things the API names by method (its messages reach a terminal, not a form). */
const SUBJECTS: Partial<Record<MethodName, string>> = {
  createReceiver: 'The receiver',
  updateReceiver: 'The receiver change',
  identifyReceiver: 'The receiver address',
  importReceivers: 'The receiver list',
  createKnownSource: 'The known source',
  importKnownSourcesCsv: 'The known-source CSV',
  createSession: 'The session',
  addSegment: 'The segment',
  reviewSegment: 'The review',
  decideSession: 'The decision',
  createDataset: 'The dataset',
  exportDataset: 'The export',
  updateSettings: 'The setting',
  updateSyncSettings: 'The central store settings',
  testSyncConnection: 'The central store settings',
};

function cliMessage(method: MethodName, message: string): string {
  const prefix = `The input of ${method}`;
  return message.startsWith(prefix) ? `${SUBJECTS[method] ?? 'The request'}${message.slice(prefix.length)}` : message;
}

export interface LocalStation {
  station: Station;
  client: StationClient;
  dataDir: string;
  /** True when this command created the station (the folder had none). */
  created: boolean;
}

/**
 * The station opened in this process with a typed client over the real dispatcher, so CLI
 * commands validate their input with the same schemas (and get the same errors) as the UI.
 * `mode: 'read'` refuses a folder without a station instead of creating one there.
 */
export async function openLocalStation(
  dataDirOption: string | undefined,
  opts: { mode?: 'read' | 'write'; quiet?: boolean; syncWhenDisabled?: boolean; backgroundSync?: boolean } = {},
): Promise<LocalStation> {
  const dataDir = resolveDataDir(dataDirOption);
  const existed = stationExists(dataDir);
  if (!existed && opts.mode === 'read') throw noStationError(dataDir);
  const { createStation } = await import('../station');
  const log = consoleLogger('station', opts.quiet ?? true);
  const station = createStation({ dataDir, resourcesDir: resourcesDir(), log, syncWhenDisabled: opts.syncWhenDisabled, backgroundSync: opts.backgroundSync });
  const client = createStationClient({
    call: async (method, input) => {
      const r = await dispatchCall(station.api, method, input, log);
      return r.ok || !(method in SUBJECTS) ? r : { ok: false, error: { ...r.error, message: cliMessage(method as MethodName, r.error.message) } };
    },
    subscribe: (stream, params, onEvent, onError) => {
      const ac = new AbortController();
      const err = dispatchSubscribe(station.api, stream, params, onEvent, ac.signal, log);
      if (err) onError(err);
      return () => ac.abort();
    },
  });
  if (!existed) console.error(`heimdall-station: started a new station in ${dataDir}`);
  return { station, client, dataDir, created: !existed };
}

/** Runs fn on the station and closes it, also when fn fails. */
export async function withLocalStation<T>(dataDirOption: string | undefined, mode: 'read' | 'write', fn: (s: LocalStation) => Promise<T>): Promise<T> {
  const opened = await openLocalStation(dataDirOption, { mode });
  try {
    return await fn(opened);
  } finally {
    await opened.station.close();
  }
}

/**
 * A `list` command: the items as JSON or one line each, saying so when there are none, and never
 * creating a station to list it (a folder without one lists as empty, with how to start one).
 */
export async function printStationList<T>(
  o: { json: boolean; dataDir?: string },
  what: { load: (client: StationClient) => Promise<T[]>; line: (item: T) => string; noStation: (dataDir: string) => string; empty: string },
): Promise<void> {
  const dataDir = resolveDataDir(o.dataDir);
  if (!stationExists(dataDir)) {
    console.log(o.json ? '[]' : what.noStation(dataDir));
    return;
  }
  await withLocalStation(o.dataDir, 'read', async ({ client }) => {
    const list = await what.load(client);
    if (o.json) console.log(JSON.stringify(list, null, 2));
    else if (!list.length) console.log(what.empty);
    else for (const item of list) console.log(what.line(item));
  });
}

import path from 'node:path';
import { createStationClient, type StationClient } from '../../shared/client';
import { dispatchCall } from '../api/dispatch';
import { consoleLogger } from '../log';
import { defaultDataDir, resourcesDir } from '../paths';
import { type Station } from '../station';

/**
 * The station opened in this process with a typed client over the real dispatcher, so CLI
 * commands validate their input with the same schemas (and get the same errors) as the UI.
 */
export async function openLocalStation(dataDirOption: string | undefined, quiet = true): Promise<{ station: Station; client: StationClient; dataDir: string }> {
  const { createStation } = await import('../station');
  const dataDir = path.resolve(dataDirOption ?? defaultDataDir());
  const log = consoleLogger('station', quiet);
  const station = createStation({ dataDir, resourcesDir: resourcesDir(), log });
  const client = createStationClient({
    call: (method, input) => dispatchCall(station.api, method, input, log),
    subscribe: () => () => undefined,
  });
  return { station, client, dataDir };
}

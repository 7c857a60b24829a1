/**
 * `heimdall-station locate <files or folders...> | --session <id> [--segment k] [--region
 * lat0:lat1:lon0:lon1] [--step deg] [--source s | --source-at lat,lon] [--json] [--png map.png]`:
 * a TDoA fix from 3 or more GPS-stamped KiwiSDR IQ recordings of one moment. Files are located in a
 * DSP worker of this process (no station, no data directory); a stored session goes through the
 * station API the UI uses, and its fix is stored with the session.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { parseRegion, type LocateResult, type Region } from '../../shared/domain/locate';
import { StationError } from '../../shared/errors';
import { numberArg } from './args';
import { dataDirOption } from './localClient';

function regionArg(v: string): Region {
  try {
    return parseRegion(v);
  } catch (e) {
    throw new InvalidArgumentError(`--region: ${(e as Error).message}`);
  }
}

function latLonArg(v: string): { lat: number; lon: number } {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(v);
  const lat = Number(m?.[1]);
  const lon = Number(m?.[2]);
  if (!m || Math.abs(lat) > 90 || Math.abs(lon) > 180) throw new InvalidArgumentError('--source-at is the latitude and longitude in degrees, e.g. 50.0152,9.0112 (south and west negative).');
  return { lat, lon };
}

export interface LocateCommandOptions {
  session?: string;
  segment?: string;
  region?: Region;
  step?: number;
  source?: string;
  sourceAt?: { lat: number; lon: number };
  json: boolean;
  png?: string;
  dataDir?: string;
}

/** What the options say together, before anything is opened. */
function checkOptions(files: string[], o: LocateCommandOptions): void {
  const fail = (m: string) => {
    throw new StationError('invalid_input', m);
  };
  if (!files.length && !o.session) fail('Name the recordings to locate from (3 or more KiwiSDR IQ files or folders of them), or a stored session with --session <id>.');
  if (files.length && o.session) fail(`Give recording files or --session, not both: ${files.join(' ')} would be located without the session.`);
  if (o.segment && !o.session) fail('--segment picks a segment of a stored session: add --session <id>.');
  if (o.source && o.sourceAt) fail('Give the known source either by name (--source) or by position (--source-at), not both.');
  if (o.session && (o.source || o.sourceAt)) {
    fail("A session's ground truth is its own known source (`session create --source`, `import --source`); --source and --source-at are for recording files.");
  }
}

export function registerLocateCommand(program: Command): void {
  program
    .command('locate [recordings...]')
    .summary('locate a transmitter by TDoA from 3 or more GPS-stamped KiwiSDR IQ recordings of one moment')
    .description(
      "locate a transmitter by TDoA from 3 or more GPS-stamped KiwiSDR IQ recordings of one moment: files or folders (kiwirecorder .wav, SigMF), or a stored session or imported set (--session; the fix is stored with it). Prints the fix, the distance to the known source, each pair's delay and spread, the receivers used and left out with the reason",
    )
    .option('--session <session>', 'a stored session or imported set (id, its last 8 characters, or its name) instead of files')
    .option('--segment <k-or-id>', 'with --session: only this segment (its number in `session show`, from 1, or its id); default: the approved segments, else those not rejected, else the whole recording')
    .option('--region <lat0:lat1:lon0:lon1>', "where to search, degrees (default: the receivers' area widened on every side)", regionArg)
    .option('--step <deg>', 'grid step in degrees (default: the finest of 0.01 to 5 that keeps the grid under 200k cells)', numberArg('--step', 0.001, 10, 'degrees'))
    .option('--source <name-or-id>', 'with files: the known transmitter heard (from the catalogue in --data-dir), to measure the fix against')
    .option('--source-at <lat,lon>', "with files: the transmitter's true position in degrees, to measure the fix against", latLonArg)
    .option('--json', 'print the locate result as JSON', false)
    .option('--png <file>', 'also draw the map: heatmap, 68/95 % contours, hyperbolas, receivers, the fix and the known source')
    .option(...dataDirOption)
    .action(async (files: string[], o: LocateCommandOptions) => {
      checkOptions(files, o);
      const t0 = performance.now();
      const progress = progressLine();
      let result: LocateResult;
      let stored: string | null = null;
      try {
        if (o.session) {
          const { locateStoredSession } = await import('./locateSession');
          const r = await locateStoredSession(o, progress.update);
          result = r.result;
          stored = r.stored;
        } else {
          const { locateFiles } = await import('./locateFiles');
          result = await locateFiles(files, o, progress.update);
        }
      } finally {
        progress.clear();
      }
      const tookMs = performance.now() - t0;
      if (o.json) console.log(JSON.stringify(result, null, 2));
      else {
        const { locateText } = await import('./locateFormat');
        for (const line of locateText(result, tookMs)) console.log(line);
        if (stored) console.log(stored);
      }
      if (o.png) {
        const { writeLocatePng } = await import('./locatePng');
        const said = writeLocatePng(o.png, result);
        // stdout stays pure JSON with --json.
        if (o.json) console.error(said);
        else console.log(said);
      }
    });
}

/** A progress line on stderr while the job runs, when stderr is a terminal. */
function progressLine() {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    update(phase: string, fraction: number) {
      if (!tty) return;
      shown = true;
      process.stderr.write(`\rlocating: ${phase} ${Math.round(fraction * 100)} %\x1b[K`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

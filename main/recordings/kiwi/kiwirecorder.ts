/**
 * What kiwirecorder writes beside the samples: its file names (`YYYYMMDDTHHMMSSZ_<dial Hz>_<station>_<mode>.wav`,
 * station optional, `-` in the station standing for `/`) and, with `--station`, the position file
 * `gnss_pos/<station>.txt` (`d.<station> = struct('coord', [lat, lon], 'host', 'h', 'port', p);`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type CaptureMode } from '../../../shared/domain/monitor';

const KIWI_MODES: Record<string, CaptureMode> = {
  iq: 'iq', usb: 'usb', usn: 'usb', lsb: 'lsb', lsn: 'lsb', am: 'am', amn: 'am', amw: 'am', sam: 'am', sal: 'am', sau: 'am', sas: 'am', qam: 'am', cw: 'cw', cwn: 'cw', nbfm: 'nfm', nnfm: 'nfm', nfm: 'nfm',
};

export interface KiwirecorderName {
  /** The host clock (UTC, whole seconds) when the recording started: resolves the GPS week. */
  startMs: number;
  /** Dial frequency in Hz. */
  freqHz: number;
  /** The station as kiwirecorder named it (`--station`), `-` turned back into `/`; null when absent. */
  station: string | null;
  /** The name's own spelling of the station (for `<station>.txt` beside it). */
  stationToken: string | null;
  mode: CaptureMode | null;
}

export function parseKiwirecorderName(name: string): KiwirecorderName | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z_(\d+(?:\.\d+)?)(?:_(.+))?\.wav$/i.exec(path.basename(name));
  if (!m) return null;
  const startMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const freqHz = Math.round(Number(m[7]));
  if (!Number.isFinite(startMs) || !(freqHz > 0)) return null;
  const tokens = m[8]?.split('_') ?? [];
  const last = tokens.at(-1)?.toLowerCase();
  const mode = (last && KIWI_MODES[last]) || null;
  const stationTokens = mode ? tokens.slice(0, -1) : tokens;
  const stationToken = stationTokens.length ? stationTokens.join('_') : null;
  return { startMs, freqHz, station: stationToken ? stationToken.replace(/-/g, '/') : null, stationToken, mode };
}

export interface StationPosition {
  station: string;
  lat: number;
  lon: number;
  /** http://host:port/ when the file names them. */
  url: string | null;
  file: string;
}

/** Every `d.<station> = struct('coord', [lat, lon], 'host', ..., 'port', ...)` entry of a position file. */
export function parseStationPositions(text: string, file: string): StationPosition[] {
  const out: StationPosition[] = [];
  const re = /d\.([A-Za-z0-9_-]+)\s*=\s*struct\s*\(([^;]*)\)\s*;?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2]!;
    const coord = /'coord'\s*,\s*\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]/.exec(body);
    if (!coord) continue;
    const lat = Number(coord[1]);
    const lon = Number(coord[2]);
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) continue;
    const host = /'host'\s*,\s*'([^']+)'/.exec(body)?.[1];
    const port = /'port'\s*,\s*(\d+)/.exec(body)?.[1];
    out.push({ station: m[1]!, lat, lon, url: host ? `http://${host}:${port ?? '8073'}/` : null, file });
  }
  return out;
}

/** The position kiwirecorder (or the TDoA set) keeps for a station: `<station>.txt` or `gnss_pos/<station>.txt` beside the recording. */
export function findStationPosition(recordingFile: string, stationToken: string): StationPosition | null {
  const dir = path.dirname(recordingFile);
  for (const f of [path.join(dir, `${stationToken}.txt`), path.join(dir, 'gnss_pos', `${stationToken}.txt`)]) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    const all = parseStationPositions(text, f);
    const hit = all.find((p) => p.station.toLowerCase() === stationToken.toLowerCase()) ?? (all.length === 1 ? all[0]! : undefined);
    if (hit) return hit;
  }
  return null;
}

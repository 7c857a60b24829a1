import { z } from 'zod';
import { receiverInputSchema, receiverSetFileSchema, type ReceiverKind } from '../../../shared/domain/receiver';
import { StationError } from '../../../shared/errors';
import { parseJsArrayAssignment } from './jsArrayLiteral';

export const receiverListFormats = ['auto', 'heimdall', 'kiwisdr_com', 'receiverbook'] as const;
export type ReceiverListFormat = (typeof receiverListFormats)[number];

export interface ImportCandidate {
  name: string;
  kind: ReceiverKind;
  url: string;
  lat: number | null;
  lon: number | null;
  alt: number | null;
  notes: string;
}

export interface ParsedReceiverList {
  format: Exclude<ReceiverListFormat, 'auto'>;
  candidates: ImportCandidate[];
  rejected: { entry: string; reason: string }[];
}

// kiwisdr.com's list: every value is a string; gps is "(lat, lon)".
const kiwiEntry = z.object({
  name: z.string().default(''),
  url: z.string(),
  gps: z.string().optional(),
  offline: z.string().optional(),
  antenna: z.string().optional(),
  sdr_hw: z.string().optional(),
  asl: z.string().optional(),
});

// receiverbook.de: sites with GeoJSON points, each holding receivers of several software types.
const receiverbookSite = z.object({
  label: z.string().optional(),
  location: z.object({ coordinates: z.tuple([z.number(), z.number()]).rest(z.number()) }),
  receivers: z.array(z.object({ type: z.string(), url: z.string(), label: z.string().optional(), version: z.string().optional() })),
});

function parseGps(gps: string | undefined): { lat: number | null; lon: number | null } {
  const m = gps ? /\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)?/.exec(gps) : null;
  if (!m) return { lat: null, lon: null };
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : { lat: null, lon: null };
}

const short = (e: unknown) => JSON.stringify(e)?.slice(0, 120) ?? String(e);

function detect(text: string): Exclude<ReceiverListFormat, 'auto'> {
  if (/\bkiwisdr_com\s*=\s*\[/.test(text)) return 'kiwisdr_com';
  if (/\breceivers\s*=\s*\[/.test(text)) return 'receiverbook';
  if (/^\s*[{[]/.test(text)) return 'heimdall';
  throw new StationError(
    'invalid_input',
    'The file is not a receiver list this station reads. Use a Heimdall receiver-set JSON, kiwisdr.com\'s kiwisdr_com.js, or receiverbook.de\'s receivers list.',
  );
}

/** Reads any supported list into candidates; entries that do not fit are listed with the reason, never silently dropped. */
export function parseReceiverList(text: string, format: ReceiverListFormat = 'auto'): ParsedReceiverList {
  const fmt = format === 'auto' ? detect(text) : format;
  const rejected: ParsedReceiverList['rejected'] = [];
  const candidates: ImportCandidate[] = [];
  const accept = (c: ImportCandidate, raw: unknown) => {
    const ok = receiverInputSchema.safeParse(c);
    if (ok.success) candidates.push(c);
    else rejected.push({ entry: short(raw), reason: ok.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  };
  try {
    if (fmt === 'heimdall') {
      const raw: unknown = JSON.parse(text);
      const set = receiverSetFileSchema.safeParse(raw);
      const list = set.success ? set.data.receivers : z.array(z.unknown()).parse(raw);
      for (const e of list) {
        const r = receiverInputSchema.omit({ password: true }).safeParse(e);
        if (r.success) accept({ name: r.data.name, kind: r.data.kind, url: r.data.url, lat: r.data.lat, lon: r.data.lon, alt: r.data.alt, notes: r.data.notes }, e);
        else rejected.push({ entry: short(e), reason: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      }
    } else if (fmt === 'kiwisdr_com') {
      for (const e of parseJsArrayAssignment(text, 'kiwisdr_com')) {
        const k = kiwiEntry.safeParse(e);
        if (!k.success) {
          rejected.push({ entry: short(e), reason: 'not a kiwisdr.com entry (no url)' });
          continue;
        }
        const { lat, lon } = parseGps(k.data.gps);
        const alt = k.data.asl !== undefined && Number.isFinite(Number(k.data.asl)) ? Number(k.data.asl) : null;
        const notes = [k.data.sdr_hw, k.data.antenna ? `antenna: ${k.data.antenna}` : ''].filter(Boolean).join('; ').slice(0, 1000);
        accept({ name: (k.data.name || k.data.url).slice(0, 255), kind: 'kiwisdr', url: k.data.url, lat, lon, alt, notes }, e);
      }
    } else {
      for (const e of parseJsArrayAssignment(text, 'receivers')) {
        const site = receiverbookSite.safeParse(e);
        if (!site.success) {
          rejected.push({ entry: short(e), reason: 'not a receiverbook site (location.coordinates and receivers[] expected)' });
          continue;
        }
        const [lon, lat] = site.data.location.coordinates;
        for (const r of site.data.receivers) {
          if (r.type !== 'openwebrx' && r.type !== 'kiwisdr') {
            rejected.push({ entry: r.url, reason: `${r.type} receivers are not supported (only KiwiSDR and OpenWebRX)` });
            continue;
          }
          accept({ name: (r.label ?? site.data.label ?? r.url).slice(0, 255), kind: r.type, url: r.url, lat, lon, alt: null, notes: r.version ? `version ${r.version}` : '' }, r);
        }
      }
    }
  } catch (e) {
    if (e instanceof StationError) throw e;
    throw new StationError('invalid_input', `The ${fmt} receiver list could not be read (${(e as Error).message}). Check that the file is complete and in that format.`);
  }
  return { format: fmt, candidates, rejected };
}

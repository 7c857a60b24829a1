/**
 * The one SigMF metadata model of the station: the schema we read with, the extensions we declare
 * (one version each), and the one serialiser every writer goes through (captures and annotations
 * sorted, used namespaces declared, SigMF 1.2.0).
 *
 * Our `heimdall` extension (global, captures, annotations), version HEIMDALL_EXTENSION.version:
 * - global: receiver_id/_name/_url/_kind, capture_id, session_id, station, mode, agc, status,
 *   complete, sha256, time_base (the time base's summary) and gps_stamps: every block's GPS stamp as
 *   received, in columns ({sample_index, seq?, fix_age_s, gpssec, gpsnsec} arrays of equal length).
 *   Columns, not one object per block: SigMF has no per-block metadata, a capture per block would
 *   say "discontinuity" 23 times a second, and columns load straight into numpy.
 * - captures: gps_unix_ns (GPS-true Unix ns of the capture's first sample, where trusted),
 *   time_source ('gps-anchor' | 'gps' | 'receiver' | 'host') and reason ('start', 'gap', 'reconnect',
 *   'gps-anchor'): besides the stream's segments, every accepted GPS anchor gets a capture, so any
 *   SigMF reader finds a GPS-true core:datetime every few seconds without knowing our extension.
 * - annotations: generator, and the dataset fields of exports, among them tdoa: the station's own
 *   TDoA fix of the acquisition ({lat, lon, error_km to the ground truth, receivers used and left
 *   out, per-pair dt and rms in us}), so a training set holds its estimate beside the ground truth.
 *   The collection of an acquisition carries the same tdoa. (1.2.0 added tdoa; earlier files read the same.)
 */
import { z } from 'zod';
import { SAMPLE_DATATYPE_RE } from '../../../shared/domain/sampleDatatype';

export const SIGMF_VERSION = '1.2.0';
export const SIGMF_RECORDER = 'heimdall-station';
export const HEIMDALL_EXTENSION = { name: 'heimdall', version: '1.2.0', optional: true } as const;
/** SigMF's capture_details extension: we use its annotation fields SNRdB and signal_reference_number. */
export const CAPTURE_DETAILS_EXTENSION = { name: 'capture_details', version: '1.0.0', optional: true } as const;
const KNOWN_EXTENSIONS: Record<string, { name: string; version: string; optional: boolean }> = {
  heimdall: HEIMDALL_EXTENSION,
  capture_details: CAPTURE_DETAILS_EXTENSION,
};

const sampleIndex = z.number().int().nonnegative();

export const sigmfCaptureSchema = z
  .object({
    'core:sample_start': sampleIndex,
    'core:frequency': z.number().optional(),
    'core:datetime': z.string().optional(),
    'core:global_index': sampleIndex.optional(),
  })
  .passthrough();

export const sigmfAnnotationSchema = z
  .object({
    'core:sample_start': sampleIndex,
    'core:sample_count': sampleIndex.optional(),
    'core:label': z.string().optional(),
    'core:freq_lower_edge': z.number().optional(),
    'core:freq_upper_edge': z.number().optional(),
  })
  .passthrough();

/** What we accept when reading (others' files included): the fields we rely on are checked, the rest kept. */
export const sigmfMetaSchema = z.object({
  global: z
    .object({
      'core:datatype': z.string().regex(SAMPLE_DATATYPE_RE, 'a SigMF datatype such as ci16_le, cf32_le, ri16_le'),
      'core:version': z.string().optional(),
      'core:sample_rate': z.number().positive().optional(),
      'core:sha512': z.string().optional(),
      'core:extensions': z.array(z.object({ name: z.string(), version: z.string(), optional: z.boolean() }).passthrough()).optional(),
    })
    .passthrough(),
  captures: z.array(sigmfCaptureSchema).default([]),
  annotations: z.array(sigmfAnnotationSchema).default([]),
});
export type SigmfMeta = z.infer<typeof sigmfMetaSchema>;
export type SigmfCapture = z.infer<typeof sigmfCaptureSchema>;
export type SigmfAnnotation = z.infer<typeof sigmfAnnotationSchema>;

/** Parses .sigmf-meta text; `what` names the file in errors. */
export function parseSigmfMeta(text: string, what = 'the .sigmf-meta'): SigmfMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not JSON (${(e as Error).message}); is it a SigMF metadata file?`);
  }
  const parsed = sigmfMetaSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${what} is not SigMF metadata (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
  return parsed.data;
}

/** The heimdall: fields our own readers use, read leniently (a foreign file has none of them). */
export const heimdallGlobalSchema = z
  .object({
    'heimdall:capture_id': z.string().optional(),
    'heimdall:receiver_id': z.string().optional(),
    'heimdall:receiver_name': z.string().optional(),
    'heimdall:receiver_url': z.string().optional(),
    'heimdall:receiver_kind': z.string().optional(),
    'heimdall:session_id': z.string().nullable().optional(),
    'heimdall:mode': z.string().optional(),
    'heimdall:agc': z.boolean().nullable().optional(),
    'heimdall:status': z.string().optional(),
    'heimdall:complete': z.boolean().optional(),
    'heimdall:sha256': z.string().optional(),
    'heimdall:gps_stamps': z.unknown().optional(),
  })
  .passthrough();

const namespacesIn = (o: Record<string, unknown>, into: Set<string>) => {
  for (const k of Object.keys(o)) {
    const ns = k.split(':')[0]!;
    if (k.includes(':') && ns !== 'core') into.add(ns);
  }
};

export interface SigmfMetaInput {
  global: Record<string, unknown> & { 'core:datatype': string };
  captures: Record<string, unknown>[];
  annotations?: Record<string, unknown>[];
}

const bySampleStart = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  (a['core:sample_start'] as number) - (b['core:sample_start'] as number) || ((a['core:sample_count'] as number | undefined) ?? 0) - ((b['core:sample_count'] as number | undefined) ?? 0);

/**
 * The finished metadata object: core:version and recorder set, captures and annotations sorted by
 * sample_start (SigMF requires it), every namespace used declared in core:extensions, undefined dropped.
 */
export function sigmfMetaObject(m: SigmfMetaInput): { global: Record<string, unknown>; captures: Record<string, unknown>[]; annotations: Record<string, unknown>[] } {
  if (!SAMPLE_DATATYPE_RE.test(m.global['core:datatype'])) throw new Error(`${m.global['core:datatype']} is not a SigMF datatype`);
  const clean = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const captures = m.captures.map(clean).sort(bySampleStart);
  for (let i = 1; i < captures.length; i++) {
    if (captures[i]!['core:sample_start'] === captures[i - 1]!['core:sample_start']) throw new Error(`two SigMF captures start at sample ${String(captures[i]!['core:sample_start'])}`);
  }
  const annotations = (m.annotations ?? []).map(clean).sort(bySampleStart);
  const used = new Set<string>();
  namespacesIn(m.global, used);
  for (const c of captures) namespacesIn(c, used);
  for (const a of annotations) namespacesIn(a, used);
  const declared = new Map<string, { name: string; version: string; optional: boolean }>();
  for (const e of (m.global['core:extensions'] as { name: string; version: string; optional: boolean }[] | undefined) ?? []) declared.set(e.name, e);
  for (const ns of used) {
    const known = KNOWN_EXTENSIONS[ns];
    if (!declared.has(ns)) {
      if (!known) throw new Error(`the SigMF namespace ${ns}: is used but not declared`);
      declared.set(ns, { ...known });
    }
  }
  const { 'core:datatype': datatype, 'core:version': _v, 'core:extensions': _e, ...rest } = clean(m.global);
  const global: Record<string, unknown> = { 'core:datatype': datatype, 'core:version': SIGMF_VERSION, ...rest };
  if (declared.size) global['core:extensions'] = [...declared.values()];
  return { global, captures, annotations };
}

/** The .sigmf-meta bytes (UTF-8 JSON, 2-space indent, trailing newline). */
export function sigmfMetaJson(m: SigmfMetaInput): string {
  return `${JSON.stringify(sigmfMetaObject(m), null, 2)}\n`;
}

/**
 * SigMF recordings (`.sigmf-meta` + `.sigmf-data`, or the members of a `.sigmf` archive) as
 * RecordingFiles: ours come back with their capture id, receiver, stream segments and every GPS
 * stamp; others' with what SigMF says (frequency, core:datetime, geolocation).
 */
import fs from 'node:fs';
import path from 'node:path';
import { captureStatuses, type CaptureStatus } from '../../../shared/domain/capture';
import { captureModes, type CaptureMode } from '../../../shared/domain/monitor';
import { receiverKinds, type ReceiverKind } from '../../../shared/domain/receiver';
import { parseSampleDatatype } from '../../../shared/domain/sampleDatatype';
import { bufferSource, fileSource, type ByteSource } from '../byteSource';
import { stampsFromColumns } from '../gpsStamps';
import { type RecordingFile } from '../recordingFile';
import { parseRfc3339Ns } from '../rfc3339';
import { readSigmfArchive } from './archive';
import { heimdallGlobalSchema, parseSigmfMeta } from './meta';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const isMode = (v: unknown): v is CaptureMode => typeof v === 'string' && (captureModes as readonly string[]).includes(v);
const isKind = (v: unknown): v is ReceiverKind => typeof v === 'string' && (receiverKinds as readonly string[]).includes(v);

/** What earlier versions of our writers put in core:description: the receiver's name, and mode/kind where present. */
function fromHeimdallDescription(d: string | undefined): { name?: string; mode?: CaptureMode; kind?: ReceiverKind } {
  if (!d) return {};
  let m = /^(.+) at \d+(?:\.\d+)? Hz \((\w+)\)/.exec(d);
  if (m) return { name: m[1], ...(isMode(m[2]) ? { mode: m[2] } : {}) };
  m = /^IQ from (.+) \((\w+)\)$/.exec(d);
  if (m) return { name: m[1], mode: 'iq', ...(isKind(m[2]) ? { kind: m[2] } : {}) };
  m = /^Demodulated (\w+) audio from (.+) \((\w+)\); not IQ$/.exec(d);
  if (m) return { name: m[2], ...(isMode(m[1]) ? { mode: m[1] } : {}), ...(isKind(m[3]) ? { kind: m[3] } : {}) };
  return {};
}

export function sigmfRecordingFrom(metaText: string, source: ByteSource, mtimeMs: number, format: 'sigmf' | 'sigmf-archive', label: string): RecordingFile {
  const warnings: string[] = [];
  const meta = parseSigmfMeta(metaText);
  const g = meta.global;
  const h = heimdallGlobalSchema.parse(g);
  const dt = parseSampleDatatype(g['core:datatype'])!;
  const rate = g['core:sample_rate'];
  if (!rate) throw new Error('its metadata has no core:sample_rate; a recording needs the exact sample rate');
  const datatype = dt.elementBytes > 1 ? g['core:datatype'].replace(/(_le|_be)?$/, '_le') : g['core:datatype'];
  const swap = (dt.elementBytes > 1 && !dt.littleEndian ? dt.elementBytes : 0) as RecordingFile['swap'];
  const total = Math.floor(source.size / dt.sampleBytes);
  if (total === 0) throw new Error(`the data holds no whole sample (${source.size} bytes of ${g['core:datatype']}): the recording is empty`);
  const tail = source.size - total * dt.sampleBytes;
  if (tail) warnings.push(`the data ends with ${tail} byte(s) that are not a whole sample (cut off?); they were left out`);

  const caps = [...meta.captures].sort((a, b) => a['core:sample_start'] - b['core:sample_start']);
  const beyond = caps.filter((c) => c['core:sample_start'] >= total).length;
  if (beyond) warnings.push(`${beyond} SigMF capture(s) start beyond the end of the data; they were left out`);
  const inside = caps.filter((c) => c['core:sample_start'] < total);
  const streamSegments = inside
    .filter((c) => c['heimdall:reason'] !== 'gps-anchor')
    .map((c, i) => ({ sampleStart: c['core:sample_start'], reason: str(c['heimdall:reason']) ?? (i === 0 && c['core:sample_start'] === 0 ? 'start' : 'segment') }));
  if (!streamSegments.length || streamSegments[0]!.sampleStart !== 0) streamSegments.unshift({ sampleStart: 0, reason: 'start' });
  const hostTimes: RecordingFile['hostTimes'] = [];
  for (const c of inside) {
    const gps = str(c['heimdall:gps_unix_ns']);
    let ns = gps && /^\d+$/.test(gps) ? BigInt(gps) : null;
    if (ns === null && c['core:datetime'] !== undefined) {
      ns = parseRfc3339Ns(c['core:datetime']);
      if (ns === null) throw new Error(`captures[${caps.indexOf(c)}].core:datetime "${c['core:datetime']}" is not an RFC 3339 time`);
    }
    if (ns !== null) hostTimes.push({ sampleStart: c['core:sample_start'], unixNs: ns });
  }
  if (!hostTimes.length) {
    hostTimes.push({ sampleStart: 0, unixNs: BigInt(Math.round(mtimeMs - (total / rate) * 1000)) * 1_000_000n });
    warnings.push('its metadata gives no core:datetime: the first-sample time is guessed from the file modification time');
  }
  const stamps = h['heimdall:gps_stamps'] !== undefined ? stampsFromColumns(h['heimdall:gps_stamps']) : [];
  if (stamps === null) warnings.push('its heimdall:gps_stamps are not GPS stamps (damaged?); they were ignored');

  const freqs = [...new Set(caps.map((c) => c['core:frequency']).filter((f): f is number => typeof f === 'number' && f > 0))];
  const freqHz = freqs[0] !== undefined ? Math.round(freqs[0]) : null;
  if (freqs.length > 1) warnings.push(`the SigMF captures are at ${freqs.length} frequencies; the recording is filed under the first, ${freqHz} Hz`);

  const ours = str(g['core:recorder']) === 'heimdall-station';
  const described = ours ? fromHeimdallDescription(str(g['core:description'])) : {};
  let mode: CaptureMode | null = isMode(h['heimdall:mode']) ? h['heimdall:mode'] : (described.mode ?? (dt.complex ? 'iq' : null));
  if (!mode) {
    mode = 'usb';
    warnings.push('real (audio) samples of unknown mode: recorded as usb');
  }
  const hw = str(g['core:hw']) ?? '';
  const kind: ReceiverKind = isKind(h['heimdall:receiver_kind'])
    ? h['heimdall:receiver_kind']
    : (described.kind ?? (/kiwi/i.test(hw) ? 'kiwisdr' : /openwebrx/i.test(hw) ? 'openwebrx' : dt.complex ? 'kiwisdr' : 'openwebrx'));
  const geo = g['core:geolocation'] as { coordinates?: unknown } | undefined;
  const coords = Array.isArray(geo?.coordinates) ? (geo.coordinates as unknown[]) : [];
  const num = (v: unknown, lim: number) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= lim ? v : null);
  const lon = num(coords[0], 180);
  const lat = num(coords[1], 90);
  const located = lat !== null && lon !== null;
  const url = str(h['heimdall:receiver_url']);
  const name = str(h['heimdall:receiver_name']) ?? described.name;

  let status: CaptureStatus = captureStatuses.includes(h['heimdall:status'] as CaptureStatus) ? (h['heimdall:status'] as CaptureStatus) : 'complete';
  if (h['heimdall:complete'] === false && status === 'complete') {
    status = 'partial';
    warnings.push('the recording was not finished (heimdall:complete is false)');
  }
  if (tail && status === 'complete') status = 'partial';

  let digest: RecordingFile['digest'];
  if (!tail) {
    const sha512 = str(g['core:sha512']);
    const sha256 = str(h['heimdall:sha256']);
    if (sha512 && /^[0-9a-f]{128}$/i.test(sha512)) digest = { algorithm: 'sha512', hex: sha512.toLowerCase(), field: 'core:sha512' };
    else if (sha256 && /^[0-9a-f]{64}$/i.test(sha256)) digest = { algorithm: 'sha256', hex: sha256.toLowerCase(), field: 'heimdall:sha256' };
  }
  const captureId = str(h['heimdall:capture_id']);
  return {
    label,
    format,
    datatype,
    swap,
    complex: dt.complex,
    headerRateHz: rate,
    totalSamples: total,
    source,
    ranges: [{ pos: 0, len: total * dt.sampleBytes }],
    bytes: total * dt.sampleBytes,
    freqHz,
    mode,
    kiwirecorder: null,
    receiver: { ...(url ? { url } : {}), ...(name ? { name } : {}), kind, lat: located ? lat : null, lon: located ? lon : null, alt: located ? num(coords[2], 9000) : null },
    stamps: stamps ?? [],
    streamSegments,
    hostTimes,
    weekHintUnixMs: Number(hostTimes[0]!.unixNs / 1_000_000n),
    ...(captureId && UUID_RE.test(captureId) ? { captureId: captureId.toLowerCase() } : {}),
    agc: h['heimdall:agc'] ?? null,
    status,
    warnings,
    ...(digest ? { digest } : {}),
  };
}

/** `<base>.sigmf-meta` with its `.sigmf-data` beside it. */
export function openSigmfRecording(metaFile: string, label = metaFile): RecordingFile {
  const dataFile = metaFile.replace(/\.sigmf-meta$/i, '.sigmf-data');
  if (!fs.existsSync(metaFile)) throw new Error(`the metadata file ${path.basename(metaFile)} is missing beside ${path.basename(dataFile)}; a SigMF recording needs both`);
  const metaText = fs.readFileSync(metaFile, 'utf8');
  parseSigmfMeta(metaText); // what is wrong with the metadata comes first
  if (!fs.existsSync(dataFile)) throw new Error(`the data file ${path.basename(dataFile)} is missing beside ${path.basename(metaFile)}; a SigMF recording needs both`);
  const source = fileSource(dataFile);
  try {
    return sigmfRecordingFrom(metaText, source, fs.statSync(dataFile).mtimeMs, 'sigmf', label);
  } catch (e) {
    source.close();
    throw e;
  }
}

/** Every recording of a `.sigmf` archive; a member that cannot be read comes back as its error. */
export async function openSigmfArchive(file: string, label = file): Promise<(RecordingFile | { label: string; error: string })[]> {
  let members: Map<string, Buffer>;
  try {
    members = await readSigmfArchive(file);
  } catch (e) {
    throw new Error(`this is not a readable SigMF archive (a tar holding <name>/<name>.sigmf-meta and .sigmf-data): ${(e as Error).message}`);
  }
  const metas = [...members.keys()].filter((n) => n.toLowerCase().endsWith('.sigmf-meta')).sort();
  if (!metas.length) throw new Error(`the archive holds no .sigmf-meta (members: ${[...members.keys()].join(', ') || 'none'}); is it a SigMF archive?`);
  const mtimeMs = fs.statSync(file).mtimeMs;
  return metas.map((meta) => {
    const memberLabel = metas.length === 1 ? label : `${label}#${meta}`;
    try {
      const dataName = meta.replace(/\.sigmf-meta$/i, '.sigmf-data');
      const data = members.get(dataName);
      if (!data) throw new Error(`the archive has ${meta} but not its data ${dataName}`);
      return sigmfRecordingFrom(members.get(meta)!.toString('utf8'), bufferSource(data), mtimeMs, 'sigmf-archive', memberLabel);
    } catch (e) {
      return { label: memberLabel, error: (e as Error).message };
    }
  });
}

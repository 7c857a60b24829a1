import { createHash } from 'node:crypto';
import { type CaptureRow } from '../store/capturesRepo';

/** websdr_<station>: the receiver's name as a safe key segment (the backend's naming style). */
export function stationSlug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s.slice(0, 64) || 'receiver';
}

/**
 * Keys are a pure function of the capture, so a retried or resumed upload overwrites the same
 * object instead of making a second one. Without a session the capture id names the folder
 * (one object per receiver per acquisition, as the backend did); within a session several
 * captures of one receiver are told apart by the capture id.
 */
export function captureObjectKeys(c: Pick<CaptureRow, 'id' | 'session_id' | 'receiver_name'>): { data: string; meta: string } {
  const base = c.session_id ? `sessions/${c.session_id}/websdr_${stationSlug(c.receiver_name)}_${c.id}` : `sessions/${c.id}/websdr_${stationSlug(c.receiver_name)}`;
  return { data: `${base}.sigmf-data`, meta: `${base}.sigmf-meta` };
}

export const s3Location = (bucket: string, key: string) => `s3://${bucket}/${key}`;

/** A UUID for things that have a non-UUID id locally (CLI receivers such as "cli-0"): stable, name-based (v5 layout). */
export function stableUuid(namespace: string, value: string): string {
  const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (uuidRe.test(value)) return value.toLowerCase();
  const h = createHash('sha1').update(`${namespace}:${value}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

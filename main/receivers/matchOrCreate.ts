import path from 'node:path';
import { receiverInputSchema, type Receiver, type ReceiverKind } from '../../shared/domain/receiver';
import { normalizeReceiverUrl, type ReceiverRegistry } from './registry';

export interface ReceiverIdentity {
  /** Web address (from the operator, or the file: our SigMF, a kiwirecorder position file). */
  url?: string;
  /** Name (from the operator, or the file: a kiwirecorder station, our SigMF). */
  name?: string;
  kind: ReceiverKind;
  lat: number | null;
  lon: number | null;
  alt: number | null;
  /** Why it is being added, for the new receiver's notes. */
  origin: string;
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'receiver'
  );
}

/**
 * The receiver a recording came from: matched by URL, else by name; created when new (by URL, or by
 * name with an inactive placeholder address in the reserved `.invalid` domain, so nothing probes it
 * until the operator edits it). A receiver found without a position takes the one the file gives.
 */
export function matchOrCreateReceiver(receivers: ReceiverRegistry, who: ReceiverIdentity, urlFromOperator: boolean): { receiver: Receiver; created: boolean } {
  const all = receivers.list();
  const notes = `Created by ${who.origin} on ${new Date().toISOString().slice(0, 10)}.`;
  const locate = (r: Receiver): Receiver => (r.lat === null && who.lat !== null && who.lon !== null ? receivers.update(r.id, { lat: who.lat, lon: who.lon, alt: who.alt }) : r);
  if (who.url) {
    let normalized: string;
    try {
      normalized = normalizeReceiverUrl(who.url);
      if (!/^https?:$/.test(new URL(normalized).protocol)) throw new Error('not http');
    } catch {
      throw new Error(`"${who.url}" is not a receiver web address${urlFromOperator ? '' : ' (from the file)'}; give one such as http://host:8073/ (--receiver-url)`);
    }
    const found = all.find((r) => r.url === normalized) ?? (who.name ? all.find((r) => r.name.toLowerCase() === who.name!.toLowerCase()) : undefined);
    if (found) return { receiver: locate(found), created: false };
    const input = receiverInputSchema.parse({ name: (who.name ?? new URL(normalized).host).slice(0, 255), kind: who.kind, url: normalized, lat: who.lat, lon: who.lon, alt: who.alt, notes });
    return { receiver: receivers.create(input), created: true };
  }
  if (who.name) {
    const found = all.find((r) => r.name.toLowerCase() === who.name!.toLowerCase());
    if (found) return { receiver: locate(found), created: false };
    let placeholder = `http://imported.invalid/${slug(who.name)}/`;
    for (let i = 2; receivers.hasUrl(placeholder); i++) placeholder = `http://imported.invalid/${slug(who.name)}-${i}/`;
    const input = receiverInputSchema.parse({
      name: who.name.slice(0, 255),
      kind: who.kind,
      url: placeholder,
      lat: who.lat,
      lon: who.lon,
      alt: who.alt,
      active: false,
      notes: `${notes} Its web address is not known: edit the URL.`,
    });
    return { receiver: receivers.create(input), created: true };
  }
  throw new Error('the file does not say which receiver recorded it; give its web address (--receiver-url http://host:8073/) and/or its name (--receiver-name)');
}

export const importOrigin = (file: string) => `importing ${path.basename(file)}`;

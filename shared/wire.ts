/**
 * The WebSocket wire format of the StationApi: JSON text frames for calls, results, subscriptions
 * and JSON-only events; binary frames for events with a body:
 *   u32 LE subscription id | u32 LE header length | header JSON (UTF-8) | body bytes.
 */
import { z } from 'zod';
import { stationErrorSchema } from './errors';

export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), method: z.string().max(100), input: z.unknown() }),
  z.object({ t: z.literal('sub'), id: z.number().int().nonnegative(), stream: z.string().max(100), params: z.unknown() }),
  z.object({ t: z.literal('unsub'), id: z.number().int().nonnegative() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

// Two 'result' shapes share a tag, so this is a plain union (zod's discriminated union needs unique tags).
export const serverMessageSchema = z.union([
  z.object({ t: z.literal('result'), id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ t: z.literal('result'), id: z.number(), ok: z.literal(false), error: stationErrorSchema }),
  z.object({ t: z.literal('event'), id: z.number(), header: z.unknown() }),
  z.object({ t: z.literal('suberror'), id: z.number(), error: stationErrorSchema }),
  /** A message the server could not read at all (no id to answer to). */
  z.object({ t: z.literal('error'), error: stationErrorSchema }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeBinaryEvent(subId: number, header: unknown, body: Uint8Array): Uint8Array {
  const headerBytes = utf8Encoder.encode(JSON.stringify(header));
  const out = new Uint8Array(8 + headerBytes.length + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, subId, true);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  out.set(body, 8 + headerBytes.length);
  return out;
}

export interface DecodedBinaryEvent {
  subId: number;
  header: unknown;
  body: Uint8Array;
}

/** Returns null for a frame too short or with a header that is not JSON: the caller reports it. */
export function decodeBinaryEvent(frame: Uint8Array): DecodedBinaryEvent | null {
  if (frame.length < 8) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const subId = view.getUint32(0, true);
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > frame.length) return null;
  try {
    const header: unknown = JSON.parse(utf8Decoder.decode(frame.subarray(8, 8 + headerLength)));
    return { subId, header, body: frame.subarray(8 + headerLength) };
  } catch {
    return null;
  }
}

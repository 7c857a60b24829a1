import { decodeAdpcm, newAdpcmState } from '../codecs/imaAdpcm';
import { type ParseResult } from './sndFrame';

/**
 * KiwiSDR W/F rows (all little-endian): 0 "W/F " | 4 x_bin_server u32 | 8 flags u32 (low 16 bits
 * zoom; 0x10000 compressed; 0x20000 no-sync) | 12 seq u32 | 16 1024 dB bytes, or ADPCM of 1034
 * values (a fresh decoder per row; the first 10 are padding and dropped; values clamp to 0..255).
 */
export const WF_BINS = 1024;
const WF_PAD = 10;

export interface WfRow {
  xBin: number;
  zoom: number;
  compressed: boolean;
  noSync: boolean;
  seq: number;
  /** Raw row bytes 0..255; dBm ~ byte - 255 + wf_cal. */
  bytes: Uint8Array;
}

export function parseWfFrame(frame: Uint8Array): ParseResult<WfRow> {
  if (frame.length < 16) return { ok: false, error: `W/F frame too short (${frame.length} bytes)` };
  if (frame[0] !== 0x57 || frame[1] !== 0x2f || frame[2] !== 0x46) return { ok: false, error: 'not a W/F frame' };
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const flags = view.getUint32(8, true);
  const compressed = (flags & 0x10000) !== 0;
  const body = frame.subarray(16);
  let bytes: Uint8Array;
  if (compressed) {
    const expected = (WF_BINS + WF_PAD) / 2;
    if (body.length < expected) return { ok: false, error: `compressed W/F row of ${body.length} bytes, expected ${expected}` };
    const decoded = new Int16Array(WF_BINS + WF_PAD);
    decodeAdpcm(newAdpcmState(), body.subarray(0, expected), decoded);
    bytes = new Uint8Array(WF_BINS);
    for (let i = 0; i < WF_BINS; i++) {
      const v = decoded[i + WF_PAD]!;
      bytes[i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  } else {
    if (body.length < WF_BINS) return { ok: false, error: `W/F row of ${body.length} bytes, expected ${WF_BINS}` };
    bytes = body.slice(0, WF_BINS);
  }
  return { ok: true, value: { xBin: view.getUint32(4, true), zoom: flags & 0xffff, compressed, noSync: (flags & 0x20000) !== 0, seq: view.getUint32(12, true), bytes } };
}

export function encodeWfFrame(f: { xBin: number; zoom: number; seq: number; bytes: Uint8Array; compressed: boolean; encode?: (values: Int16Array) => Uint8Array }): Uint8Array {
  let body: Uint8Array;
  if (f.compressed) {
    const values = new Int16Array(WF_BINS + WF_PAD);
    for (let i = 0; i < WF_BINS; i++) values[i + WF_PAD] = f.bytes[i]!;
    for (let i = 0; i < WF_PAD; i++) values[i] = f.bytes[0]!;
    body = f.encode!(values);
  } else {
    body = f.bytes;
  }
  const out = new Uint8Array(16 + body.length);
  const view = new DataView(out.buffer);
  out.set([0x57, 0x2f, 0x46, 0x20]);
  view.setUint32(4, f.xBin, true);
  view.setUint32(8, (f.zoom & 0xffff) | (f.compressed ? 0x10000 : 0), true);
  view.setUint32(12, f.seq >>> 0, true);
  out.set(body, 16);
  return out;
}

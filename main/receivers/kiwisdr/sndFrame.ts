/**
 * KiwiSDR SND frames (audio/IQ). Layout, offsets from the start of the websocket message:
 * 0 "SND" | 3 flags | 4 seq u32 LE | 8 S-meter u16 BE (dBm = v/10 - 127) |
 * IQ only (flag 0x08): 10 last_gps_solution u8 | 11 0 | 12 gpssec u32 LE | 16 gpsnsec u32 LE |
 * payload from 10 (mono) or 20 (IQ): int16 BE samples (LE when flag 0x80), or IMA ADPCM (flag 0x10).
 */
export const SND_FLAG = {
  LPF_CHANGED: 0x01,
  ADC_OVERFLOW: 0x02,
  NEW_FREQ_MODE: 0x04,
  STEREO_IQ: 0x08,
  ADPCM: 0x10,
  RESTART: 0x20,
  SQUELCHED: 0x40,
  LITTLE_ENDIAN: 0x80,
} as const;

export interface SndFrame {
  flags: number;
  seq: number;
  smeterDbm: number;
  iq: boolean;
  compressed: boolean;
  gps: { solution: number; gpssec: number; gpsnsec: number } | null;
  /** Raw payload (ADPCM bytes, or samples in the wire's byte order). */
  payload: Uint8Array;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseSndFrame(frame: Uint8Array): ParseResult<SndFrame> {
  if (frame.length < 10) return { ok: false, error: `SND frame too short (${frame.length} bytes)` };
  if (frame[0] !== 0x53 || frame[1] !== 0x4e || frame[2] !== 0x44) return { ok: false, error: 'not an SND frame' };
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const flags = frame[3]!;
  const iq = (flags & SND_FLAG.STEREO_IQ) !== 0;
  const compressed = (flags & SND_FLAG.ADPCM) !== 0;
  const seq = view.getUint32(4, true);
  const smeterDbm = view.getUint16(8, false) / 10 - 127;
  let gps: SndFrame['gps'] = null;
  let start = 10;
  if (iq) {
    if (frame.length < 20) return { ok: false, error: `IQ frame shorter than its 20-byte header (${frame.length} bytes)` };
    const gpsnsec = view.getUint32(16, true);
    if (gpsnsec >= 1_000_000_000) return { ok: false, error: `IQ frame with gpsnsec ${gpsnsec} >= 1e9` };
    gps = { solution: frame[10]!, gpssec: view.getUint32(12, true), gpsnsec };
    start = 20;
    if (compressed) return { ok: false, error: 'IQ frame flagged ADPCM (IQ is never compressed)' };
    if ((frame.length - start) % 4 !== 0) return { ok: false, error: `IQ payload of ${frame.length - start} bytes is not whole I/Q pairs` };
  } else if (!compressed && (frame.length - start) % 2 !== 0) {
    return { ok: false, error: `audio payload of ${frame.length - start} bytes is not whole int16 samples` };
  }
  return { ok: true, value: { flags, seq, smeterDbm, iq, compressed, gps, payload: frame.subarray(start) } };
}

export function encodeSndFrame(f: { flags: number; seq: number; smeterDbm: number; gps?: { solution: number; gpssec: number; gpsnsec: number }; payload: Uint8Array }): Uint8Array {
  const iq = (f.flags & SND_FLAG.STEREO_IQ) !== 0;
  const header = iq ? 20 : 10;
  const out = new Uint8Array(header + f.payload.length);
  const view = new DataView(out.buffer);
  out.set([0x53, 0x4e, 0x44, f.flags]);
  view.setUint32(4, f.seq >>> 0, true);
  view.setUint16(8, Math.max(0, Math.min(65535, Math.round((f.smeterDbm + 127) * 10))), false);
  if (iq) {
    out[10] = f.gps?.solution ?? 255;
    out[11] = 0;
    view.setUint32(12, f.gps?.gpssec ?? 0, true);
    view.setUint32(16, f.gps?.gpsnsec ?? 0, true);
  }
  out.set(f.payload, header);
  return out;
}

export { pcmFromWire, pcmToWire } from '../codecs/pcm';

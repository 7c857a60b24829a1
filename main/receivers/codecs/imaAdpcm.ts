/**
 * IMA ADPCM as KiwiSDR and OpenWebRX use it: 89-entry step table, index adjust
 * {-1,-1,-1,-1,2,4,6,8}, two codes per byte, low nibble first. State persists across calls
 * (audio) unless the caller resets it (KiwiSDR waterfall rows and OpenWebRX FFT frames do).
 */
const STEPS = [
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157, 173,
  190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066,
  2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818,
  18500, 20350, 22385, 24623, 27086, 29794, 32767,
];
const INDEX_ADJUST = [-1, -1, -1, -1, 2, 4, 6, 8];

export interface AdpcmState {
  index: number;
  prev: number;
}

export const newAdpcmState = (): AdpcmState => ({ index: 0, prev: 0 });

function decodeCode(state: AdpcmState, code: number): number {
  const step = STEPS[state.index]!;
  let diff = step >> 3;
  if (code & 1) diff += step >> 2;
  if (code & 2) diff += step >> 1;
  if (code & 4) diff += step;
  if (code & 8) diff = -diff;
  let v = state.prev + diff;
  if (v > 32767) v = 32767;
  else if (v < -32768) v = -32768;
  state.prev = v;
  const idx = state.index + INDEX_ADJUST[code & 7]!;
  state.index = idx < 0 ? 0 : idx > 88 ? 88 : idx;
  return v;
}

/** Decodes `bytes` into `out` (two samples per byte) and returns how many samples were written. */
export function decodeAdpcm(state: AdpcmState, bytes: Uint8Array, out: Int16Array, outOffset = 0): number {
  let o = outOffset;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[o++] = decodeCode(state, b & 0x0f);
    out[o++] = decodeCode(state, b >> 4);
  }
  return o - outOffset;
}

function encodeSample(state: AdpcmState, sample: number): number {
  const step = STEPS[state.index]!;
  let diff = sample - state.prev;
  let code = 0;
  if (diff < 0) {
    code = 8;
    diff = -diff;
  }
  let s = step;
  if (diff >= s) {
    code |= 4;
    diff -= s;
  }
  s >>= 1;
  if (diff >= s) {
    code |= 2;
    diff -= s;
  }
  s >>= 1;
  if (diff >= s) code |= 1;
  // Track the decoder exactly, so encoder and decoder never drift apart.
  decodeCode(state, code);
  return code;
}

/** Encodes an even number of samples into bytes (low nibble first). */
export function encodeAdpcm(state: AdpcmState, samples: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.ceil(samples.length / 2));
  for (let i = 0; i < samples.length; i += 2) {
    const lo = encodeSample(state, samples[i]!);
    const hi = i + 1 < samples.length ? encodeSample(state, samples[i + 1]!) : 0;
    out[i >> 1] = lo | (hi << 4);
  }
  return out;
}

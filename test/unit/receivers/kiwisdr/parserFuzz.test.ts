/**
 * Random and mutated input for every KiwiSDR frame parser (and the ADPCM decoder they share with
 * OpenWebRX): none may throw or hang, and whatever they accept must be self-consistent. The seed is
 * fixed so a failure reproduces; the case number is in the failure message.
 */
import { describe, expect, it } from 'vitest';
import { decodeAdpcm, encodeAdpcm, newAdpcmState } from '../../../../main/receivers/codecs/imaAdpcm';
import { encodeMsgFrame, parseMsgFrame } from '../../../../main/receivers/kiwisdr/msg';
import { encodeSndFrame, parseSndFrame, pcmFromWire, SND_FLAG } from '../../../../main/receivers/kiwisdr/sndFrame';
import { encodeWfFrame, parseWfFrame, WF_BINS } from '../../../../main/receivers/kiwisdr/wfFrame';
import { mulberry32 } from '../../../../main/sim/prng';

const SEED = 0x4b1e5d;

type Rand = () => number;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);

function randomBytes(rand: Rand, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = int(rand, 256);
  return b;
}

/** One of: flip bits, overwrite bytes, truncate, extend, or splice in a random tag / flag byte. */
function mutate(rand: Rand, src: Uint8Array): Uint8Array {
  let f = src.slice();
  const rounds = 1 + int(rand, 4);
  for (let r = 0; r < rounds; r++) {
    switch (int(rand, 6)) {
      case 0:
        if (f.length) f[int(rand, f.length)]! ^= 1 << int(rand, 8);
        break;
      case 1:
        for (let k = int(rand, 8); k >= 0 && f.length; k--) f[int(rand, f.length)] = int(rand, 256);
        break;
      case 2:
        f = f.subarray(0, int(rand, f.length + 1)).slice();
        break;
      case 3: {
        const g = new Uint8Array(f.length + 1 + int(rand, 64));
        g.set(f);
        g.set(randomBytes(rand, g.length - f.length), f.length);
        f = g;
        break;
      }
      case 4:
        if (f.length > 3) f[3] = int(rand, 256); // flags byte of SND, space of W/F
        break;
      default:
        if (f.length > 11) f.set(randomBytes(rand, 4), 8 + int(rand, Math.min(12, f.length - 11))); // header words
    }
  }
  return f;
}

function sampleSndFrames(rand: Rand): Uint8Array[] {
  const iq = encodeSndFrame({
    flags: SND_FLAG.STEREO_IQ,
    seq: 7,
    smeterDbm: -90,
    gps: { solution: 4, gpssec: 12345, gpsnsec: 678 },
    payload: randomBytes(rand, 2048),
  });
  const mono = encodeSndFrame({ flags: 0, seq: 8, smeterDbm: -100, payload: randomBytes(rand, 1024) });
  const adpcm = encodeSndFrame({ flags: SND_FLAG.ADPCM, seq: 9, smeterDbm: -110, payload: randomBytes(rand, 1024) });
  return [iq, mono, adpcm];
}

function sampleWfFrames(rand: Rand): Uint8Array[] {
  const row = randomBytes(rand, WF_BINS);
  const encode = (v: Int16Array) => encodeAdpcm(newAdpcmState(), v);
  return [encodeWfFrame({ xBin: 0, zoom: 0, seq: 1, bytes: row, compressed: false }), encodeWfFrame({ xBin: 4096, zoom: 3, seq: 2, bytes: row, compressed: true, encode })];
}

/** Runs `n` cases, each either random bytes or a mutated valid frame, through `check`. */
function fuzz(n: number, seed: number, samples: (rand: Rand) => Uint8Array[], check: (frame: Uint8Array, caseNo: number) => void): number {
  const rand = mulberry32(seed);
  let pool = samples(rand);
  let ran = 0;
  for (let i = 0; i < n; i++) {
    if (i % 1000 === 0) pool = samples(rand);
    let frame: Uint8Array;
    const pick = int(rand, 10);
    if (pick < 3) frame = randomBytes(rand, int(rand, 2200));
    else if (pick < 4) {
      // Random bytes behind a valid tag: gets past the tag check into the real parsing.
      const body = randomBytes(rand, int(rand, 2200));
      frame = new Uint8Array(3 + body.length);
      frame.set(pool[0]!.subarray(0, 3));
      frame.set(body, 3);
    } else frame = mutate(rand, pool[int(rand, pool.length)]!);
    // Some cases come from an offset into a larger buffer, as frames do from a ws Buffer pool.
    if (int(rand, 4) === 0) {
      const big = new Uint8Array(frame.length + 5);
      big.set(frame, 5);
      frame = big.subarray(5);
    }
    try {
      check(frame, i);
    } catch (e) {
      throw new Error(`case ${i} (seed ${seed}, ${frame.length} bytes): ${e instanceof Error ? e.message : String(e)}`);
    }
    ran++;
  }
  return ran;
}

describe('frame parser fuzzing (deterministic seed)', () => {
  it('SND: 40k random and mutated frames give a typed result and consistent fields', () => {
    let accepted = 0;
    const ran = fuzz(40_000, SEED, sampleSndFrames, (frame) => {
      const r = parseSndFrame(frame);
      if (!r.ok) {
        if (typeof r.error !== 'string' || r.error.length === 0) throw new Error('error result without a message');
        return;
      }
      accepted++;
      const f = r.value;
      const header = f.iq ? 20 : 10;
      if (f.payload.length !== frame.length - header) throw new Error('payload length does not match the header size');
      if (f.iq !== (f.gps !== null)) throw new Error('GPS header present without the IQ flag or vice versa');
      if (f.gps && f.gps.gpsnsec >= 1e9) throw new Error('gpsnsec out of range accepted');
      if (!Number.isFinite(f.smeterDbm)) throw new Error('S-meter not finite');
      if (!f.compressed) pcmFromWire(f.payload, (f.flags & SND_FLAG.LITTLE_ENDIAN) !== 0);
      else decodeAdpcm(newAdpcmState(), f.payload, new Int16Array(f.payload.length * 2));
    });
    expect(ran).toBe(40_000);
    // The mutations must leave enough frames valid to exercise the accepting paths too.
    expect(accepted).toBeGreaterThan(1000);
  });

  it('W/F: 40k random and mutated frames give a typed result and 1024-bin rows', () => {
    let accepted = 0;
    const ran = fuzz(40_000, SEED + 1, sampleWfFrames, (frame) => {
      const r = parseWfFrame(frame);
      if (!r.ok) {
        if (typeof r.error !== 'string' || r.error.length === 0) throw new Error('error result without a message');
        return;
      }
      accepted++;
      if (r.value.bytes.length !== WF_BINS) throw new Error(`row of ${r.value.bytes.length} bins`);
      if (r.value.zoom < 0 || r.value.zoom > 0xffff) throw new Error('zoom outside the low 16 bits');
    });
    expect(ran).toBe(40_000);
    expect(accepted).toBeGreaterThan(1000);
  });

  it('MSG: 20k random and mutated frames parse to string maps or null', () => {
    const samples = (rand: Rand) => [
      encodeMsgFrame(`version_maj=1 version_min=${int(rand, 999)} freq_offset=0.000 badp=0 too_busy=${int(rand, 9)} wf_setup`),
      encodeMsgFrame({ redirect: 'http://127.0.0.1:8073/?x=%y', ip_limit: '1440,127.0.0.1', sample_rate: '12001.135' }),
    ];
    const ran = fuzz(20_000, SEED + 2, samples, (frame) => {
      const m = parseMsgFrame(frame);
      if (m === null) return;
      for (const [k, v] of m) if (typeof k !== 'string' || typeof v !== 'string') throw new Error('non-string entry');
    });
    expect(ran).toBe(20_000);
  });

  it('ADPCM: 10k random byte strings decode to clamped int16 with the index kept in range', () => {
    const rand = mulberry32(SEED + 3);
    let ran = 0;
    for (let i = 0; i < 10_000; i++) {
      const b = randomBytes(rand, int(rand, 1100));
      const state = i % 2 ? newAdpcmState() : { index: int(rand, 89), prev: int(rand, 65536) - 32768 };
      const out = new Int16Array(b.length * 2);
      const n = decodeAdpcm(state, b, out);
      expect(n).toBe(b.length * 2);
      if (state.index < 0 || state.index > 88) throw new Error(`case ${i}: index ${state.index}`);
      if (state.prev < -32768 || state.prev > 32767) throw new Error(`case ${i}: predictor ${state.prev}`);
      ran++;
    }
    expect(ran).toBe(10_000);
  });
});

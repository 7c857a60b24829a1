import { describe, expect, it } from 'vitest';
import { decodeAdpcm, encodeAdpcm, newAdpcmState } from '../../../../main/receivers/codecs/imaAdpcm';
import { gaussian, mulberry32 } from '../../../../main/sim/prng';

/** Decodes a whole byte string with a fresh decoder. */
function decodeAll(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length * 2);
  decodeAdpcm(newAdpcmState(), bytes, out);
  return out;
}

/**
 * What the encoder believes the decoder will output: it tracks the decoder, so re-running the same
 * codes through a separate decoder must give exactly this.
 */
function encoderReconstruction(samples: Int16Array): { bytes: Uint8Array; recon: Int16Array } {
  const bytes = encodeAdpcm(newAdpcmState(), samples);
  return { bytes, recon: decodeAll(bytes) };
}

describe('IMA ADPCM', () => {
  it('decodes hand-computed codes: step table, index adjustment, sign and low-nibble-first order', () => {
    // From state (index 0, prev 0): code 7 -> step 7: 7>>3 + 7>>2 + 7>>1 + 7 = 0+1+3+7 = 11, index 0+8 = 8.
    // Then code 0xF at index 8 (step 16): -(2+4+8+16) = -30 -> 11-30 = -19, index 16.
    const out = new Int16Array(2);
    const state = newAdpcmState();
    decodeAdpcm(state, new Uint8Array([0xf7]), out);
    expect([...out]).toEqual([11, -19]);
    expect(state).toEqual({ index: 16, prev: -19 });
  });

  it('clamps the predictor to int16 and the index to 0..88', () => {
    const state = newAdpcmState();
    const out = new Int16Array(400);
    decodeAdpcm(state, new Uint8Array(200).fill(0x77), out);
    expect(out[399]).toBe(32767);
    expect(state.index).toBe(88);
    decodeAdpcm(state, new Uint8Array(200).fill(0xff), out);
    expect(out[399]).toBe(-32768);
    decodeAdpcm(state, new Uint8Array(100).fill(0x00), out);
    expect(state.index).toBe(0);
  });

  it('decoder output equals the encoder reconstruction on random input (white, loud, smooth, silent)', () => {
    const rand = mulberry32(0xadbc);
    const norm = gaussian(rand);
    const cases: Int16Array[] = [];
    for (let c = 0; c < 40; c++) {
      const n = 2 * (1 + Math.floor(rand() * 3000));
      const s = new Int16Array(n);
      const kind = c % 4;
      let phase = 0;
      for (let i = 0; i < n; i++) {
        if (kind === 0) s[i] = Math.round((rand() * 2 - 1) * 32767);
        else if (kind === 1) s[i] = Math.max(-32768, Math.min(32767, Math.round(norm() * 8000)));
        else if (kind === 2) s[i] = Math.round(12000 * Math.sin((phase += 0.05 + 0.01 * c)));
        else s[i] = 0;
      }
      cases.push(s);
    }
    for (const s of cases) {
      // Feed the encoder two samples at a time; after each byte the encoder's own predictor must equal
      // what an independent decoder makes of that byte, so the two can never drift apart.
      const enc = newAdpcmState();
      const dec = newAdpcmState();
      const out = new Int16Array(2);
      let mismatches = 0;
      for (let i = 0; i < s.length; i += 2) {
        const byte = encodeAdpcm(enc, s.subarray(i, i + 2));
        expect(byte.length).toBe(1);
        decodeAdpcm(dec, byte, out);
        if (enc.prev !== dec.prev || enc.index !== dec.index || out[1] !== enc.prev) mismatches++;
      }
      expect(mismatches).toBe(0);
      const { bytes, recon } = encoderReconstruction(s);
      expect(bytes.length).toBe(s.length / 2);
      expect(recon.length).toBe(s.length);
    }
  });

  it('tracks a smooth signal closely (the encoder is a real encoder, not just self-consistent)', () => {
    const n = 4096;
    const s = new Int16Array(n);
    for (let i = 0; i < n; i++) s[i] = Math.round(10000 * Math.sin((2 * Math.PI * 440 * i) / 12000));
    const { recon } = encoderReconstruction(s);
    let err = 0;
    let pow = 0;
    for (let i = 256; i < n; i++) {
      err += (recon[i]! - s[i]!) ** 2;
      pow += s[i]! ** 2;
    }
    const snrDb = 10 * Math.log10(pow / err);
    expect(snrDb).toBeGreaterThan(20);
  });

  it('keeps state across calls: decoding in frames equals decoding in one go', () => {
    const rand = mulberry32(7);
    const s = new Int16Array(2048 * 3);
    let v = 0;
    for (let i = 0; i < s.length; i++) s[i] = v = Math.max(-30000, Math.min(30000, v + Math.round((rand() - 0.5) * 3000)));
    const bytes = encodeAdpcm(newAdpcmState(), s);
    const whole = decodeAll(bytes);
    const state = newAdpcmState();
    const framed = new Int16Array(s.length);
    let o = 0;
    for (let off = 0; off < bytes.length; off += 1024) o += decodeAdpcm(state, bytes.subarray(off, off + 1024), framed, o);
    expect(o).toBe(s.length);
    expect([...framed]).toEqual([...whole]);
  });

  it('encoder state also persists across calls, as the server encoder does between frames', () => {
    const s = new Int16Array(2000);
    for (let i = 0; i < s.length; i++) s[i] = Math.round(8000 * Math.sin(i / 7));
    const whole = encodeAdpcm(newAdpcmState(), s);
    const st = newAdpcmState();
    const a = encodeAdpcm(st, s.subarray(0, 1000));
    const b = encodeAdpcm(st, s.subarray(1000));
    expect([...a, ...b]).toEqual([...whole]);
  });
});

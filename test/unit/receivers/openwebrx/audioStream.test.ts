import { describe, expect, it } from 'vitest';
import { OwrxAdpcmEncoderStream, OwrxAdpcmStream } from '../../../../main/receivers/openwebrx/audioDecoder';
import { parseFftFrame } from '../../../../main/receivers/openwebrx/fftFrame';
import { encodeAdpcm, newAdpcmState } from '../../../../main/receivers/codecs/imaAdpcm';
import { mulberry32 } from '../../../../main/sim/prng';

function tone(n: number, seed: number): Int16Array {
  const r = mulberry32(seed);
  return Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin(i / 7) + (r() - 0.5) * 2000));
}

describe('OpenWebRX ADPCM audio stream', () => {
  for (const sync of [true, false]) {
    it(`decodes the same samples however the stream is split into messages (${sync ? '1.2, SYNC headers' : '1.1, no SYNC'})`, () => {
      const enc = new OwrxAdpcmEncoderStream(sync);
      const bytes = new Uint8Array([...enc.encode(tone(3000, 1)), ...enc.encode(tone(3000, 2))]);
      if (sync) expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('SYNC');
      const whole = new OwrxAdpcmStream().decode(bytes);
      expect(whole.length).toBe(6000);
      const r = mulberry32(9);
      for (let trial = 0; trial < 50; trial++) {
        const d = new OwrxAdpcmStream();
        const parts: Int16Array[] = [];
        for (let i = 0; i < bytes.length; ) {
          const n = 1 + Math.floor(r() * 40);
          parts.push(d.decode(bytes.subarray(i, i + n)));
          i += n;
        }
        const joined = Int16Array.from(parts.flatMap((p) => [...p]));
        expect(joined).toEqual(whole);
        expect(d.badSyncs).toBe(0);
      }
    });
  }

  it('splits a SYNC header exactly across two messages and still decodes it', () => {
    const enc = new OwrxAdpcmEncoderStream(true);
    const bytes = enc.encode(tone(2400, 3)); // 8 + 1001 + 8 + 199 bytes
    const second = 8 + 1001 + 3; // inside the second header
    const d = new OwrxAdpcmStream();
    const a = d.decode(bytes.subarray(0, second));
    const b = d.decode(bytes.subarray(second));
    expect(a.length + b.length).toBe(2400);
    expect(Int16Array.from([...a, ...b])).toEqual(new OwrxAdpcmStream().decode(bytes));
  });

  it('resynchronises on the header after corrupted data instead of drifting for ever', () => {
    const enc = new OwrxAdpcmEncoderStream(true);
    const samples = tone(6000, 4);
    const bytes = enc.encode(samples);
    const corrupted = bytes.slice();
    for (let i = 100; i < 200; i++) corrupted[i] = 0x77;
    const clean = new OwrxAdpcmStream().decode(bytes);
    const dirty = new OwrxAdpcmStream().decode(corrupted);
    // After the next SYNC header (at 1009) the two decoders agree again.
    expect(dirty.subarray(2002)).toEqual(clean.subarray(2002));
    expect(dirty.subarray(200, 400)).not.toEqual(clean.subarray(200, 400));
  });
});

describe('OpenWebRX FFT frames', () => {
  it('decodes float32 and ADPCM frames (codec reset per frame, first 10 values dropped)', () => {
    const db = Float32Array.from({ length: 64 }, (_, i) => -100 + i * 0.5);
    expect(parseFftFrame(new Uint8Array(db.buffer), 64, false)).toEqual({ ok: true, value: db });
    const v = new Int16Array(74);
    for (let i = 0; i < 64; i++) v[10 + i] = Math.round(db[i]! * 100);
    v.fill(v[10]!, 0, 10);
    const out = parseFftFrame(encodeAdpcm(newAdpcmState(), v), 64, true);
    expect(out.ok).toBe(true);
    // ADPCM needs a few codes to reach -100 dB x 100 from a zeroed codec: the pad absorbs most of it.
    if (out.ok) for (let i = 24; i < 64; i++) expect(Math.abs(out.value[i]! - db[i]!)).toBeLessThan(1);
    expect(parseFftFrame(new Uint8Array(10), 64, true)).toMatchObject({ ok: false });
  });
});

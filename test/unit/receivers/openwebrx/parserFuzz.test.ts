/** Random and mutated input into every OpenWebRX parser: no throw, no hang, typed results only. */
import { describe, expect, it } from 'vitest';
import { OwrxAdpcmEncoderStream, OwrxAdpcmStream } from '../../../../main/receivers/openwebrx/audioDecoder';
import { parseFftFrame } from '../../../../main/receivers/openwebrx/fftFrame';
import { parseOwrxText } from '../../../../main/receivers/openwebrx/messages';
import { mulberry32 } from '../../../../main/sim/prng';

const rand = mulberry32(20261122);
const int = (n: number) => Math.floor(rand() * n);
const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));

const validTexts = [
  'CLIENT DE SERVER server=openwebrx version=v1.2.2',
  JSON.stringify({ type: 'config', value: { samp_rate: 2400000, center_freq: 145000000, fft_size: 2048, fft_compression: 'adpcm', audio_compression: 'adpcm' } }),
  JSON.stringify({ type: 'smeter', value: 0.0001 }),
  JSON.stringify({ type: 'backoff', reason: 'Too many clients' }),
  JSON.stringify({ type: 'profiles', value: [{ id: 'rtlsdr|2m', name: '2m' }] }),
];

function mutate(s: string): string {
  const chars = [...s];
  for (let k = 0; k < 1 + int(4); k++) {
    const i = int(chars.length + 1);
    const op = int(3);
    if (op === 0) chars.splice(i, 1);
    else if (op === 1) chars.splice(i, 0, String.fromCharCode(int(128)));
    else chars[i] = String.fromCharCode(int(65536));
  }
  return chars.join('');
}

describe('OpenWebRX parsers under fuzz', () => {
  it('JSON messages: 30k random and mutated texts give a message or null, never an exception', () => {
    let recognised = 0;
    for (let k = 0; k < 30_000; k++) {
      const text = k % 3 === 0 ? String.fromCharCode(...bytes(int(80))) : mutate(validTexts[k % validTexts.length]!);
      const m = parseOwrxText(text);
      if (m) recognised++;
    }
    expect(recognised).toBeGreaterThan(0);
  });

  it('FFT frames: 20k random bodies and sizes', () => {
    let ok = 0;
    for (let k = 0; k < 20_000; k++) {
      const size = [16, 64, 1024, 2048][int(4)]!;
      const r = parseFftFrame(bytes(int(size * 4 + 20)), size, rand() < 0.5);
      if (r.ok) {
        ok++;
        expect(r.value.length).toBe(size);
      }
    }
    expect(ok).toBeGreaterThan(0);
  });

  it('audio streams: 2k random and mutated streams split at random points decode to bounded output', () => {
    for (let k = 0; k < 2_000; k++) {
      const enc = new OwrxAdpcmEncoderStream(rand() < 0.5);
      let data = k % 2 ? enc.encode(Int16Array.from({ length: 2 * int(1500) }, () => int(65536) - 32768)) : bytes(int(3000));
      if (k % 4 === 1) {
        data = data.slice();
        for (let m = 0; m < 10; m++) data[int(data.length)] = int(256);
      }
      const d = new OwrxAdpcmStream();
      let total = 0;
      for (let i = 0; i < data.length; ) {
        const n = 1 + int(700);
        total += d.decode(data.subarray(i, i + n)).length;
        i += n;
      }
      expect(total).toBeLessThanOrEqual(data.length * 2);
    }
  });
});

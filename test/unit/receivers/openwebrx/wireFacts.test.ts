/**
 * The client against byte layouts built here by hand from the facts of real OpenWebRX servers, not
 * from our own encoder (which the simulator shares, so a wrong fact there would hide itself).
 */
import { describe, expect, it } from 'vitest';
import { decodeAdpcm, encodeAdpcm, newAdpcmState } from '../../../../main/receivers/codecs/imaAdpcm';
import { OwrxAdpcmStream } from '../../../../main/receivers/openwebrx/audioDecoder';
import { parseOwrxText, owrxStatusSchema } from '../../../../main/receivers/openwebrx/messages';
import { chooseProfile } from '../../../../main/receivers/openwebrx/profileChoice';
import { nextDelayMs } from '../../../../main/capture/links/reconnectPolicy';
import { mulberry32 } from '../../../../main/sim/prng';

/**
 * A 1.2 stream as csdr's encoder lays it out: "SYNC", int16 LE step index, int16 LE predictor
 * (the encoder state in force), then 1001 ADPCM bytes, again and again; it starts with a header.
 */
function csdrStream(samples: Int16Array): { bytes: Uint8Array; blocks: number } {
  const state = newAdpcmState();
  const parts: number[] = [];
  let blocks = 0;
  for (let s = 0; s < samples.length; s += 2002) {
    const h = new DataView(new ArrayBuffer(8));
    [0x53, 0x59, 0x4e, 0x43].forEach((b, k) => h.setUint8(k, b));
    h.setInt16(4, state.index, true);
    h.setInt16(6, state.prev, true);
    parts.push(...new Uint8Array(h.buffer));
    parts.push(...encodeAdpcm(state, samples.subarray(s, s + 2002)));
    blocks++;
  }
  return { bytes: Uint8Array.from(parts), blocks };
}

function signal(n: number, seed: number): Int16Array {
  const r = mulberry32(seed);
  return Int16Array.from({ length: n }, (_, i) => Math.round(9000 * Math.sin(i / 5.3) + 3000 * Math.sin(i / 41) + (r() - 0.5) * 1500));
}

/** What a decoder that knows the layout gets: each block decoded from the state its header names. */
function reference(bytes: Uint8Array): Int16Array {
  const out: number[] = [];
  for (let o = 0; o < bytes.length; o += 8 + 1001) {
    const v = new DataView(bytes.buffer, bytes.byteOffset + o);
    const st = { index: v.getInt16(4, true), prev: v.getInt16(6, true) };
    const block = bytes.subarray(o + 8, o + 8 + 1001);
    const dec = new Int16Array(block.length * 2);
    decodeAdpcm(st, block, dec);
    out.push(...dec);
  }
  return Int16Array.from(out);
}

describe('OpenWebRX 1.2 audio as real servers send it', () => {
  const { bytes, blocks } = csdrStream(signal(2002 * 6, 1));

  it('decodes 1001 ADPCM bytes per SYNC block, with no header taken for audio', () => {
    expect(blocks).toBe(6);
    const d = new OwrxAdpcmStream();
    const out = d.decode(bytes);
    expect(out.length).toBe(2002 * 6);
    expect(out).toEqual(reference(bytes));
    expect(d.badSyncs).toBe(0);
  });

  it('decodes identically when messages split the stream anywhere, including inside a SYNC word', () => {
    const whole = reference(bytes);
    const rand = mulberry32(7);
    // Every split point inside the second header, then random splits.
    const cuts: number[][] = [];
    for (let k = 1; k < 8; k++) cuts.push([1009 + k]);
    for (let t = 0; t < 40; t++) {
      const c: number[] = [];
      for (let at = 1 + Math.floor(rand() * 300); at < bytes.length; at += 1 + Math.floor(rand() * 1500)) c.push(at);
      cuts.push(c);
    }
    for (const c of cuts) {
      const d = new OwrxAdpcmStream();
      const parts: Int16Array[] = [];
      let from = 0;
      for (const at of [...c, bytes.length]) {
        parts.push(d.decode(bytes.subarray(from, at)));
        from = at;
      }
      expect(Int16Array.from(parts.flatMap((p) => [...p]))).toEqual(whole);
      expect(d.badSyncs).toBe(0);
    }
  });

  it('finds the next SYNC after foreign bytes and decodes in step again', () => {
    const d = new OwrxAdpcmStream();
    const junk = Uint8Array.from({ length: 37 }, (_, i) => (i * 73 + 11) & 0xff);
    const a = d.decode(bytes.subarray(0, 1509)); // block 1 and 492 bytes of block 2...
    d.decode(junk); // ...then bytes that do not belong to the stream
    const b = d.decode(bytes.subarray(1509));
    expect(a.length).toBe(2 * (1001 + 492));
    // Blocks 3..6 come out exactly as sent: the decoder found their headers.
    const tail = reference(bytes).subarray(2002 * 2);
    expect(b.subarray(b.length - tail.length)).toEqual(tail);
    expect(d.badSyncs).toBe(1);
  });
});

describe('OpenWebRX JSON as real servers send it', () => {
  it('accepts a config change whose deleted keys arrive as null', () => {
    const m = parseOwrxText(JSON.stringify({ type: 'config', value: { center_freq: 435_000_000, samp_rate: 2_400_000, start_mod: null, initial_squelch_level: null, profile_id: '70cm', sdr_id: 'rtlsdr' } }));
    expect(m?.type).toBe('config');
  });

  it('ignores message types it does not use (bookmarks, dial frequencies, secondary config, ...)', () => {
    for (const type of ['bookmarks', 'dial_frequencies', 'secondary_config', 'wsjt_message', 'aprs_data', 'js8_message', 'pocsag_data']) {
      expect(parseOwrxText(JSON.stringify({ type, value: [] }))).toBeNull();
    }
  });
});

describe('profile choice', () => {
  // /status.json names the bands; the `profiles` message gives the ids to select, named "<sdr> <profile>".
  const status = owrxStatusSchema.parse({
    receiver: { name: 'IW1 Torino', gps: { lat: 45.04, lon: 7.67 }, asl: 250 },
    max_clients: 10,
    sw_version: 'v1.2.2',
    sdrs: [
      { name: 'RTL-SDR Stick', type: 'RtlSdrSource', profiles: [{ name: '2 m band', center_freq: 145_000_000, sample_rate: 2_400_000 }, { name: 'Airband', center_freq: 125_000_000, sample_rate: 2_400_000 }] },
      { name: 'SDRplay', type: 'SdrplaySource', profiles: [{ name: '70 cm band', center_freq: 435_000_000, sample_rate: 2_000_000 }, { name: '70 cm wide', center_freq: 434_000_000, sample_rate: 8_000_000 }] },
    ],
  });
  const offered = [
    { id: '6eb96a54|2b06fa30', name: 'RTL-SDR Stick 2 m band' },
    { id: '6eb96a54|air', name: 'RTL-SDR Stick Airband' },
    { id: 'a1b2|70cm', name: 'SDRplay 70 cm band' },
    { id: 'a1b2|70w', name: 'SDRplay 70 cm wide' },
  ];

  it('sends the id from the profiles message, not the display names', () => {
    expect(chooseProfile(status, offered, 145_500_000)).toBe('6eb96a54|2b06fa30');
    expect(chooseProfile(status, offered, 124_000_000)).toBe('6eb96a54|air');
  });

  it('of overlapping profiles takes the one where the frequency sits nearest the centre', () => {
    expect(chooseProfile(status, offered, 435_100_000)).toBe('a1b2|70cm');
    expect(chooseProfile(status, offered, 433_000_000)).toBe('a1b2|70w');
  });

  it('gives null for a frequency no offered profile covers (including a disabled SDR, absent from profiles)', () => {
    expect(chooseProfile(status, offered, 1_000_000_000)).toBeNull();
    expect(chooseProfile(status, offered.slice(0, 2), 435_000_000)).toBeNull();
  });
});

describe('backoff after {"type":"backoff"}', () => {
  it('waits at least 15 s, grows exponentially with jitter, and caps', () => {
    const rand = mulberry32(3);
    const c = { code: 'backoff', reason: 'Too many clients' } as const;
    const delays = Array.from({ length: 10 }, (_, k) => nextDelayMs(c, k, rand)!);
    expect(delays.every((d) => d >= 15_000 && d <= 60_000)).toBe(true);
    // Jitter: the same attempt twice gives different waits (no thundering herd of stations).
    expect(new Set(Array.from({ length: 5 }, () => nextDelayMs(c, 8, rand))).size).toBeGreaterThan(1);
    expect(nextDelayMs(c, 9, () => 1)).toBe(60_000);
    expect(nextDelayMs(c, 0, () => 0)).toBe(15_000);
  });
});

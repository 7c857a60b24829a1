import { describe, expect, it } from 'vitest';
import { encodeAdpcm, newAdpcmState } from '../../../../main/receivers/codecs/imaAdpcm';
import { gpsToUnixNs, unixNsToGps } from '../../../../main/recordings/gpsTime';
import { kiwiMode } from '../../../../main/receivers/kiwisdr/modes';
import { encodeMsgFrame, frameTag, parseMsgFrame, parseMsgText } from '../../../../main/receivers/kiwisdr/msg';
import { encodeSndFrame, parseSndFrame, pcmFromWire, pcmToWire, SND_FLAG } from '../../../../main/receivers/kiwisdr/sndFrame';
import { encodeWfFrame, parseWfFrame, WF_BINS } from '../../../../main/receivers/kiwisdr/wfFrame';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('KiwiSDR SND frames', () => {
  it('reads a hand-built IQ frame: tag, flags, LE seq, BE S-meter, GPS header, BE samples', () => {
    const f = new Uint8Array(20 + 8);
    f.set([0x53, 0x4e, 0x44, 0x08]); // "SND", IQ
    f.set([0x04, 0x03, 0x02, 0x01], 4); // seq 0x01020304 LE
    f.set([0x03, 0xe8], 8); // S-meter 1000 BE -> 1000/10 - 127 = -27 dBm
    f[10] = 3; // last_gps_solution
    f.set([0x10, 0x27, 0x00, 0x00], 12); // gpssec 10000 LE
    f.set([0x15, 0xcd, 0x5b, 0x07], 16); // gpsnsec 123456789 LE
    f.set([0x7f, 0xff, 0x80, 0x00, 0x00, 0x01, 0xff, 0xfe], 20); // I,Q BE: 32767, -32768, 1, -2
    const r = parseSndFrame(f);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.iq).toBe(true);
    expect(r.value.compressed).toBe(false);
    expect(r.value.seq).toBe(0x01020304);
    expect(r.value.smeterDbm).toBeCloseTo(-27, 6);
    expect(r.value.gps).toEqual({ solution: 3, gpssec: 10000, gpsnsec: 123456789 });
    expect([...pcmFromWire(r.value.payload, false)]).toEqual([32767, -32768, 1, -2]);
  });

  it('reads a mono frame with a 10-byte header, and honours the little-endian flag', () => {
    const f = bytes(0x53, 0x4e, 0x44, SND_FLAG.LITTLE_ENDIAN, 1, 0, 0, 0, 0x05, 0x00, 0x01, 0x00, 0xff, 0xff);
    const r = parseSndFrame(f);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.gps).toBeNull();
    expect(r.value.payload.length).toBe(4);
    expect([...pcmFromWire(r.value.payload, true)]).toEqual([1, -1]);
  });

  it('round-trips IQ and ADPCM frames through the encoder used by the simulator', () => {
    const iq = new Int16Array(1024).map((_, i) => (i * 37) % 65536 - 32768);
    const frame = encodeSndFrame({ flags: SND_FLAG.STEREO_IQ, seq: 42, smeterDbm: -73.5, gps: { solution: 5, gpssec: 604799, gpsnsec: 999_999_999 }, payload: pcmToWire(iq) });
    expect(frame.length).toBe(20 + 2048);
    const r = parseSndFrame(frame);
    expect(r.ok && [...pcmFromWire(r.value.payload, false)]).toEqual([...iq]);
    expect(r.ok && r.value.smeterDbm).toBeCloseTo(-73.5, 6);

    const adpcm = encodeAdpcm(newAdpcmState(), new Int16Array(2048));
    const mono = parseSndFrame(encodeSndFrame({ flags: SND_FLAG.ADPCM, seq: 1, smeterDbm: -100, payload: adpcm }));
    expect(mono.ok && mono.value.compressed).toBe(true);
    expect(mono.ok && mono.value.payload.length).toBe(1024);
  });

  it('returns typed errors for truncated, mis-tagged, odd-length and impossible frames', () => {
    const good = encodeSndFrame({ flags: SND_FLAG.STEREO_IQ, seq: 0, smeterDbm: 0, payload: new Uint8Array(8) });
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      good.subarray(0, 9),
      good.subarray(0, 15), // IQ header cut short
      good.subarray(0, 22), // half an I/Q pair
      bytes(0x57, 0x2f, 0x46, 0, 0, 0, 0, 0, 0, 0, 0),
      bytes(0x53, 0x4e, 0x44, 0, 0, 0, 0, 0, 0, 0, 1), // one byte of int16 audio
    ];
    const nsec = good.slice();
    new DataView(nsec.buffer).setUint32(16, 1_000_000_000, true);
    bad.push(nsec);
    const adpcmIq = good.slice();
    adpcmIq[3] = SND_FLAG.STEREO_IQ | SND_FLAG.ADPCM;
    bad.push(adpcmIq);
    for (const f of bad) {
      const r = parseSndFrame(f);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(5);
    }
  });
});

describe('KiwiSDR W/F frames', () => {
  const row = new Uint8Array(WF_BINS).map((_, i) => (i * 7) % 256);

  it('reads a hand-built raw row: LE x_bin, zoom in the low 16 bits, LE seq', () => {
    const f = new Uint8Array(16 + WF_BINS);
    f.set([0x57, 0x2f, 0x46, 0x20]);
    f.set([0x00, 0x01, 0x00, 0x00], 4); // x_bin 256
    f.set([0x03, 0x00, 0x02, 0x00], 8); // zoom 3, no-sync
    f.set([0x09, 0x00, 0x00, 0x00], 12); // seq 9
    f.set(row, 16);
    const r = parseWfFrame(f);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ xBin: 256, zoom: 3, compressed: false, noSync: true, seq: 9 });
    expect([...r.value.bytes]).toEqual([...row]);
  });

  it('decodes compressed rows with a fresh decoder each and drops the 10 padding values', () => {
    const smooth = new Uint8Array(WF_BINS).map((_, i) => 60 + Math.round(40 * Math.sin(i / 50)));
    const encode = (v: Int16Array) => encodeAdpcm(newAdpcmState(), v);
    const f = encodeWfFrame({ xBin: 0, zoom: 2, seq: 1, bytes: smooth, compressed: true, encode });
    expect(f.length).toBe(16 + 517);
    // Two identical rows must decode identically: state does not leak from one row to the next.
    const a = parseWfFrame(f);
    const b = parseWfFrame(f);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect([...a.value.bytes]).toEqual([...b.value.bytes]);
    expect(a.value.compressed).toBe(true);
    let maxErr = 0;
    for (let i = 0; i < WF_BINS; i++) maxErr = Math.max(maxErr, Math.abs(a.value.bytes[i]! - smooth[i]!));
    expect(maxErr).toBeLessThanOrEqual(8);
  });

  it('returns typed errors for short rows', () => {
    const f = encodeWfFrame({ xBin: 0, zoom: 0, seq: 1, bytes: row, compressed: false });
    for (const cut of [0, 3, 15, 16, 500, 16 + WF_BINS - 1]) expect(parseWfFrame(f.subarray(0, cut)).ok).toBe(false);
    const c = f.slice(0, 16 + 100);
    new DataView(c.buffer).setUint32(8, 0x10000, true);
    expect(parseWfFrame(c).ok).toBe(false);
  });
});

describe('KiwiSDR MSG frames', () => {
  it('splits key=value pairs, keeps bare flags and percent-decodes values', () => {
    const m = parseMsgText('version_maj=1 version_min=550 freq_offset=0.000 wf_setup ident_user=heimdall%20station%20IU1ABC');
    expect(m.get('version_min')).toBe('550');
    expect(m.get('wf_setup')).toBe('');
    expect(m.get('ident_user')).toBe('heimdall station IU1ABC');
  });

  it('keeps a value that is not valid percent-encoding as it came', () => {
    expect(parseMsgText('redirect=http%3A%2F%2Fx%ZZ').get('redirect')).toBe('http%3A%2F%2Fx%ZZ');
  });

  it('round-trips through the encoder; non-MSG frames give null', () => {
    const f = encodeMsgFrame({ redirect: 'http://127.0.0.1:8074/?a=b c', too_busy: 4 });
    expect(frameTag(f)).toBe('MSG');
    const m = parseMsgFrame(f);
    expect(m?.get('redirect')).toBe('http://127.0.0.1:8074/?a=b c');
    expect(m?.get('too_busy')).toBe('4');
    expect(parseMsgFrame(bytes(0x53, 0x4e, 0x44))).toBeNull();
    expect(parseMsgFrame(new Uint8Array(0))).toBeNull();
  });
});

describe('GPS time', () => {
  it('turns seconds-of-week + ns into Unix ns with the week from the host clock and 18 leap seconds', () => {
    // 2026-01-01T00:00:00Z = Unix 1767225600. GPS = Unix - 315964800 + 18 = 1451260818 s;
    // week 2399 starts at 2399 * 604800 = 1450915200, so seconds-of-week = 345618.
    const unixNs = 1_767_225_600_000_000_000n + 250_000_000n;
    expect(unixNsToGps(unixNs)).toEqual({ gpssec: 345618, gpsnsec: 250_000_000 });
    expect(gpsToUnixNs(345618, 250_000_000, 1_767_225_600_000)).toBe(unixNs);
  });

  it('picks the previous week when the host clock has just crossed a week boundary', () => {
    // A frame stamped 2 s before the end of the week, read 1 s into the next week.
    const weekStartUnixS = 315_964_800 - 18 + 2400 * 604_800;
    const frameUnixNs = BigInt(weekStartUnixS - 2) * 1_000_000_000n;
    const { gpssec, gpsnsec } = unixNsToGps(frameUnixNs);
    expect(gpssec).toBe(604_798);
    expect(gpsToUnixNs(gpssec, gpsnsec, (weekStartUnixS + 1) * 1000)).toBe(frameUnixNs);
  });
});

describe('KiwiSDR modes', () => {
  it("uses a session's passband instead of the mode's default, clamped to what the server allows", () => {
    expect(kiwiMode('usb', 12000)).toEqual({ mod: 'usb', low: 300, high: 2700 });
    expect(kiwiMode('iq', 12000, { lowHz: -1500, highHz: 1500 })).toEqual({ mod: 'iq', low: -1500, high: 1500 });
    expect(kiwiMode('iq', 12000, { lowHz: -9000, highHz: 9000 })).toEqual({ mod: 'iq', low: -5999, high: 5999 });
  });
});

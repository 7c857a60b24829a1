/**
 * `heimdall-station locate` as an operator runs it, on the three real DCF77 recordings of 2017
 * (../shared/data/kiwi-dcf77-2017/, read in place): the text and the JSON, the map image, and the
 * refusals (two recordings, an OpenWebRX recording) with their exit codes and what they say to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { locateResultSchema } from '../../../shared/domain/locate';
import { SigmfRecordingWriter } from '../../../main/recordings/sigmf/writer';
import { realDataSet } from '../../helpers/realData';
import { tempDir } from '../../helpers/tempDir';
import { runCli } from '../../helpers/runCli';

const set = realDataSet('kiwi-dcf77-2017');
if (!set.dir) console.log(`locateCli.test: skipped, ${set.why}`);
const tmp = tempDir('heimdall-locate-cli-');
afterAll(() => tmp.cleanup());
const MAINFLINGEN = { lat: 50.0152, lon: 9.0112 };
const file = (station: string) => path.join(set.dir!, `20171127T104156Z_77500_${station}_iq.wav`);

/** CRC-32 bit by bit (the PNG specification's definition; our encoder uses a table). */
function bitwiseCrc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Width, height and RGB pixels of an 8-bit RGB PNG (decoded here, independently of our encoder). */
function readPng(bytes: Buffer): { width: number; height: number; pixel(x: number, y: number): [number, number, number] } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (;;) {
    const len = bytes.readUInt32BE(off);
    const type = bytes.toString('latin1', off + 4, off + 8);
    const data = bytes.subarray(off + 8, off + 8 + len);
    expect(bytes.readUInt32BE(off + 8 + len), `${type} CRC`).toBe(bitwiseCrc32(bytes.subarray(off + 4, off + 8 + len)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9], data[12]]).toEqual([8, 2, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
    if (type === 'IEND') break;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 3 + 1) * height);
  return {
    width,
    height,
    pixel(x, y) {
      const i = y * (width * 3 + 1) + 1 + x * 3;
      expect(raw[y * (width * 3 + 1)]).toBe(0);
      return [raw[i]!, raw[i + 1]!, raw[i + 2]!];
    },
  };
}

/** An OpenWebRX recording as the station's capture writes it: real audio samples, no GPS time. */
function openWebRxRecording(): string {
  const w = new SigmfRecordingWriter({
    dir: path.join(tmp.dir, 'owrx'),
    baseName: 'owrx-torino',
    datatype: 'ri16_le',
    sampleRate: 12000,
    freqHz: 77_500,
    description: 'OWRX Torino',
    hw: 'OpenWebRX',
    geolocation: { lat: 45.07, lon: 7.69, alt: null },
    heimdall: { receiver_kind: 'openwebrx', receiver_name: 'OWRX Torino' },
  });
  w.beginSegment(BigInt(Date.UTC(2017, 10, 27, 10, 41, 56)) * 1_000_000n, 'start');
  w.append(new Int16Array(12000 * 5).map((_, i) => Math.round(8000 * Math.sin(i / 3))));
  return w.finish().metaFile;
}

describe.skipIf(!set.dir)('heimdall-station locate on the real DCF77 recordings', () => {
  it('prints the fix near Mainflingen, each pair with its delay, spread and blocks, the receivers, and draws the map', async () => {
    const png = path.join(tmp.dir, 'dcf77.png');
    const r = await runCli(['locate', set.dir!, '--source-at', '50.0152,9.0112', '--png', png]);
    console.log(r.stdout);
    expect(r.code, r.stderr).toBe(0);
    const fix = /^fix: (\d+\.\d+) N, (\d+\.\d+) E/m.exec(r.stdout)!;
    expect(fix).not.toBeNull();
    const km = Number(/, (\d+\.\d+) km from the fix/.exec(r.stdout)![1]);
    expect(km).toBeLessThan(15);
    const pairs = [...r.stdout.matchAll(/^ {2}(\S+) - (\S+)\s+dt\s+(-?\d+\.\d) us\s+rms\s+(\d+\.\d) us\s+(\d+)\/(\d+) blocks/gm)];
    expect(pairs.map((p) => `${p[1]}-${p[2]}`).sort()).toEqual(['DF0KL-F1JEK', 'DF0KL-HB9RYZ', 'F1JEK-HB9RYZ']);
    for (const p of pairs) {
      expect(Number(p[4])).toBeLessThan(30);
      expect(Number(p[5])).toBeGreaterThanOrEqual(25);
    }
    expect(r.stdout).toMatch(/^receivers used \(3\):$/m);
    for (const s of ['DF0KL', 'F1JEK', 'HB9RYZ']) expect(r.stdout).toMatch(new RegExp(`^ {2}${s} at \\d`, 'm'));
    expect(r.stdout).not.toMatch(/^receivers left out/m);
    expect(r.stdout).toMatch(/^took \d+\.\d\d s/m);

    // The map: a valid PNG of the size it states, the fix's pixel magenta, the known source's ring cyan.
    const size = /^map: .* \((\d+) x (\d+) px\)/m.exec(r.stdout)!;
    const img = readPng(fs.readFileSync(png));
    expect([img.width, img.height]).toEqual([Number(size[1]), Number(size[2])]);
    expect(Math.max(img.width, img.height)).toBe(1000);
    const grid = /^grid: (-?\d+\.\d+)\.\.(-?\d+\.\d+) lat, (-?\d+\.\d+)\.\.(-?\d+\.\d+) lon/m.exec(r.stdout)!.slice(1).map(Number) as [number, number, number, number];
    const at = (lat: number, lon: number) => [Math.floor(((lon - grid[2]) / (grid[3] - grid[2])) * img.width), Math.floor(((grid[1] - lat) / (grid[1] - grid[0])) * img.height)] as const;
    const [fx, fy] = at(Number(fix[1]), Number(fix[2]));
    const [r0, g0, b0] = img.pixel(fx, fy);
    expect(r0).toBeGreaterThan(200);
    expect(g0).toBeLessThan(60);
    expect(b0).toBeGreaterThan(200);
    const [sx, sy] = at(MAINFLINGEN.lat, MAINFLINGEN.lon);
    let cyan = 0;
    for (let y = sy - 16; y <= sy + 16; y++) for (let x = sx - 16; x <= sx + 16; x++) if (img.pixel(x, y)[1] > 200 && img.pixel(x, y)[2] > 200 && img.pixel(x, y)[0] < 60) cyan++;
    expect(cyan).toBeGreaterThan(40);
    // The aspect is the region's at its mid-latitude.
    const aspect = ((grid[3] - grid[2]) * Math.cos((((grid[0] + grid[1]) / 2) * Math.PI) / 180)) / (grid[1] - grid[0]);
    expect(Math.abs(img.width / img.height - aspect)).toBeLessThan(0.01);
  }, 120_000);

  it('--json prints the locate result, the same fix as the text', async () => {
    const r = await runCli(['locate', file('DF0KL'), file('F1JEK'), file('HB9RYZ'), '--json', '--region', '45:55:-2:12', '--step', '0.05']);
    expect(r.code, r.stderr).toBe(0);
    const res = locateResultSchema.parse(JSON.parse(r.stdout));
    expect(res.grid).toMatchObject({ lat0: 45, lon0: -2, stepDeg: 0.05 });
    expect(res.source).toBeNull();
    expect(res.receivers.map((x) => x.status)).toEqual(['good', 'good', 'good']);
    const km = (6371 * Math.PI * Math.hypot(res.position.lat - MAINFLINGEN.lat, (res.position.lon - MAINFLINGEN.lon) * Math.cos((50 * Math.PI) / 180))) / 180;
    expect(km).toBeLessThan(15);
    expect(res.pairs).toHaveLength(3);
  }, 120_000);

  it('refuses two recordings, and an OpenWebRX one in their place, saying why and what a fix needs', async () => {
    const two = await runCli(['locate', file('DF0KL'), file('F1JEK')]);
    expect(two.code).toBe(1);
    expect(two.stdout).toBe('');
    expect(two.stderr).toContain('Cannot locate: 2 of 2 receivers are usable by their recordings, and a TDoA fix needs at least 3 GPS-stamped KiwiSDR IQ recordings of the same moment.');

    const owrx = openWebRxRecording();
    const withOwrx = await runCli(['locate', file('DF0KL'), file('F1JEK'), owrx]);
    expect(withOwrx.code).toBe(1);
    expect(withOwrx.stderr).toContain('Cannot locate: 2 of 3 receivers are usable');
    expect(withOwrx.stderr).toContain('Left out: OWRX Torino: OpenWebRX sends no IQ and no GPS time: it cannot take part in a TDoA fix.');

    // Beside three good ones it is left out with that reason, and the fix is made.
    const four = await runCli(['locate', set.dir!, owrx]);
    expect(four.code, four.stderr).toBe(0);
    expect(four.stdout).toMatch(/^receivers left out \(1\):\n {2}OWRX Torino: OpenWebRX sends no IQ and no GPS time/m);

    const usage = await runCli(['locate']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('Name the recordings to locate from (3 or more KiwiSDR IQ files or folders of them), or a stored session with --session <id>.');
    const missing = await runCli(['locate', path.join(tmp.dir, 'nope.wav'), file('DF0KL'), file('F1JEK')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.wav: there is no such file or folder/);
  }, 180_000);
});

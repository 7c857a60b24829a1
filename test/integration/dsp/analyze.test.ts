/** `analyze` on files a user would have: a kiwirecorder IQ .wav with kiwi GPS chunks, and our SigMF. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SigmfRecordingWriter } from '../../../main/capture/sigmfRecordingWriter';
import { readKiwiWav } from '../../../main/recordings/readKiwiWav';
import { repoRoot } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const RATE = 12001;

/** Writes a WAV the way kiwirecorder --kiwi-wav does: fmt, then a `kiwi` chunk before every data chunk. */
function writeKiwiWav(file: string, frames: { gpssec: number; gpsnsec: number; iq: Int16Array }[]) {
  const chunks: Buffer[] = [];
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0);
  fmt.writeUInt16LE(2, 2);
  fmt.writeUInt32LE(RATE, 4);
  fmt.writeUInt32LE(RATE * 4, 8);
  fmt.writeUInt16LE(4, 12);
  fmt.writeUInt16LE(16, 14);
  const chunk = (id: string, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(body.length, 4);
    chunks.push(h, body);
  };
  chunk('fmt ', fmt);
  frames.forEach((f, i) => {
    const k = Buffer.alloc(10);
    k[0] = i === 0 ? 0 : 3;
    k.writeUInt32LE(f.gpssec, 2);
    k.writeUInt32LE(f.gpsnsec, 6);
    chunk('kiwi', k);
    chunk('data', Buffer.from(f.iq.buffer, f.iq.byteOffset, f.iq.byteLength));
  });
  const body = Buffer.concat(chunks);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length + 4, 4);
  riff.write('WAVE', 8, 'latin1');
  fs.writeFileSync(file, Buffer.concat([riff, body]));
}

describe('analyze', () => {
  it('reads a kiwirecorder IQ wav with its GPS chunks intact and finds the tone', () => {
    const frames = Array.from({ length: 40 }, (_, f) => {
      const iq = new Int16Array(1024);
      for (let k = 0; k < 512; k++) {
        const t = (f * 512 + k) / RATE;
        iq[2 * k] = Math.round(8000 * Math.cos(2 * Math.PI * 1500 * t));
        iq[2 * k + 1] = Math.round(8000 * Math.sin(2 * Math.PI * 1500 * t));
      }
      const ns = 123_000_000 + Math.round(((f * 512) / RATE) * 1e9);
      return { gpssec: 49_000 + Math.floor(ns / 1e9), gpsnsec: ns % 1e9, iq };
    });
    const file = path.join(tmp.dir, 'kiwi.wav');
    writeKiwiWav(file, frames);
    const rec = readKiwiWav(file);
    expect(rec).toMatchObject({ complex: true, sampleRate: RATE, datatype: 'ci16_le' });
    expect(rec.samples.length).toBe(40 * 1024);
    expect(rec.timestamps).toHaveLength(40);
    expect(rec.timestamps[7]).toEqual({ sampleIndex: 7 * 512, solution: 3, gpssec: frames[7]!.gpssec, gpsnsec: frames[7]!.gpsnsec });
    const out = JSON.parse(execFileSync(process.execPath, ['bin/heimdall-station.mjs', 'analyze', file, '--json'], { cwd: repoRoot, encoding: 'utf8' }));
    expect(Math.abs(out.overall.peakOffsetHz - 1500)).toBeLessThan(1);
    expect(out.timestamps).toHaveLength(40);
  });

  it('reads a SigMF recording and says clearly what is wrong with a broken one', () => {
    const w = new SigmfRecordingWriter({ dir: tmp.dir, baseName: 'rec', datatype: 'ci16_le', sampleRate: 12000, freqHz: 7_100_000, description: 't', heimdall: {} });
    w.beginSegment(1_795_000_000_000_000_000n, 'start', true);
    const iq = new Int16Array(24000);
    for (let k = 0; k < 12000; k++) {
      iq[2 * k] = Math.round(5000 * Math.cos((2 * Math.PI * -700 * k) / 12000));
      iq[2 * k + 1] = Math.round(5000 * Math.sin((2 * Math.PI * -700 * k) / 12000));
    }
    w.append(iq);
    w.finish();
    const text = execFileSync(process.execPath, ['bin/heimdall-station.mjs', 'analyze', path.join(tmp.dir, 'rec.sigmf-meta')], { cwd: repoRoot, encoding: 'utf8' });
    expect(text).toMatch(/peak offset -700\.\d Hz/);
    expect(text).toMatch(/7\.100000 MHz/);
    fs.writeFileSync(path.join(tmp.dir, 'bad.sigmf-meta'), JSON.stringify({ global: { 'core:datatype': 'cq15', 'core:sample_rate': 1 } }));
    let err = '';
    try {
      execFileSync(process.execPath, ['bin/heimdall-station.mjs', 'analyze', path.join(tmp.dir, 'bad.sigmf-meta')], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      err = String((e as { stderr: string }).stderr);
    }
    expect(err).toMatch(/datatype cq15 is not supported/);
  });
});

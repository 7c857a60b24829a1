/** `analyze` on files a user would have: a kiwirecorder IQ .wav with kiwi GPS chunks, and our SigMF. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unixNsToGps } from '../../../main/recordings/gpsTime';
import { KiwiWavWriter } from '../../../main/recordings/kiwi/kiwiWav';
import { SigmfRecordingWriter } from '../../../main/recordings/sigmf/writer';
import { repoRoot } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const RATE = 12001;

describe('analyze', () => {
  it('reads a kiwirecorder IQ wav with its GPS chunks, times it by the fresh fixes and finds the tone', () => {
    const T0 = BigInt(Date.UTC(2026, 10, 22, 10, 41, 56)) * 1_000_000n + 123_000_000n;
    const file = path.join(tmp.dir, '20261122T104156Z_7100000_TEST-1_iq.wav');
    const w = new KiwiWavWriter(file, { rateHz: RATE, channels: 2 });
    for (let f = 0; f < 60; f++) {
      const iq = new Int16Array(1024);
      for (let k = 0; k < 512; k++) {
        const t = (f * 512 + k) / RATE;
        iq[2 * k] = Math.round(8000 * Math.cos(2 * Math.PI * 1500 * t));
        iq[2 * k + 1] = Math.round(8000 * Math.sin(2 * Math.PI * 1500 * t));
      }
      const ns = T0 + BigInt(Math.round(((f * 512) / RATE) * 1e9));
      // The first stamp 300 s stale, a fresh fix at blocks 10, 30 and 50.
      w.writeBlock({ fixAgeSec: [10, 30, 50].includes(f) ? 0 : 2, ...unixNsToGps(f === 0 ? ns - 300_000_000_000n : ns) }, iq);
    }
    w.close();
    const out = JSON.parse(execFileSync(process.execPath, ['bin/heimdall-station.mjs', 'analyze', file, '--json'], { cwd: repoRoot, encoding: 'utf8' }));
    expect(Math.abs(out.overall.peakOffsetHz - 1500)).toBeLessThan(1);
    expect(out).toMatchObject({ format: 'kiwi-wav', samples: 60 * 512, freqHz: 7_100_000, station: 'TEST/1', recordedAt: '2026-11-22T10:41:56.000Z', headerRateHz: RATE });
    expect(out.time).toMatchObject({ source: 'gps', firstSampleUtc: '2026-11-22T10:41:56.123000000Z', stamps: 60, freshStamps: 3, anchors: 3, rejectedStamps: 0, staleStamps: 1 });
    expect(out.time.firstSampleGps.week).toBe(2446); // (2026-11-22 - 1980-01-06 + 18 s) / 604800 s
    expect(out.time.firstStamp.offsetSec).toBeCloseTo(-300, 3);
    expect(out.sampleRate).toBeCloseTo(RATE, 3);
  });

  it('reads a SigMF recording and says clearly what is wrong with a broken one', () => {
    const w = new SigmfRecordingWriter({ dir: tmp.dir, baseName: 'rec', datatype: 'ci16_le', sampleRate: 12000, freqHz: 7_100_000, description: 't', heimdall: {} });
    w.beginSegment(1_795_000_000_000_000_000n, 'start');
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
    expect(err).toMatch(/core:datatype: a SigMF datatype such as ci16_le/);
  });
});

/**
 * The capture worker's writer into a reserved capture: the file holds exactly the samples appended
 * (blocks of any size, across its 64 KiB staging buffer), the hashes it reports are the file's, and
 * the journal holds the segments, every stamp and durable marks that never count more than is on disk.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreRecordingWriter } from '../../../main/capture/storeRecordingWriter';
import { readJournal } from '../../../main/samples/captureJournal';
import { prng } from '../../fixtures/sync/syntheticCaptures';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function blocks(seed: number, sizes: number[]): Int16Array[] {
  const rand = prng(seed);
  return sizes.map((n) => Int16Array.from({ length: 2 * n }, () => Math.round((rand() - 0.5) * 65535)));
}

describe('StoreRecordingWriter', () => {
  it('writes exactly the appended samples once, with the hashes of the file, and a journal of segments, stamps and durable marks', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const partFile = path.join(t.dir, 'c.sigmf-data.part');
    const journalFile = path.join(t.dir, 'c.journal');
    const w = new StoreRecordingWriter({ partFile, journalFile, datatype: 'ci16_le', sampleRate: 12_000, syncEveryMs: 0 });
    // Sizes around the staging buffer (16384 complex samples): smaller, equal, larger than it.
    const parts = blocks(7, [512, 512, 16_000, 384, 16_384, 40_000, 1, 511]);
    let expected = Buffer.alloc(0);
    w.beginSegment(1_795_860_000_000_000_000n, 'start');
    parts.forEach((b, k) => {
      if (k === 5) w.beginSegment(1_795_860_003_000_000_000n, 'reconnect');
      w.addStamp({ sampleIndex: w.sampleCount, seq: k, fixAgeSec: 1, gpssec: 100_000 + k, gpsnsec: 0 });
      expect(w.append(b)).toBe(b.length / 2);
      expected = Buffer.concat([expected, Buffer.from(b.buffer, b.byteOffset, b.byteLength)]);
      w.tick();
    });
    // Let the background fdatasyncs and their marks land.
    await new Promise((r) => setTimeout(r, 200));
    const durableBefore = readJournal(journalFile).durableBytes;
    expect(durableBefore).toBeGreaterThan(0);
    expect(durableBefore).toBeLessThanOrEqual(fs.statSync(partFile).size);
    const done = w.finish();
    const bytes = fs.readFileSync(partFile);
    expect(bytes.equals(expected)).toBe(true);
    expect(done.bytes).toBe(expected.byteLength);
    expect(done.samples).toBe(expected.byteLength / 4);
    expect(done.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(done.sha512).toBe(createHash('sha512').update(bytes).digest('hex'));
    expect(done.md5).toBe(createHash('md5').update(bytes).digest('hex'));
    const j = readJournal(journalFile);
    expect(j.segments.map((s) => [s.sampleStart, s.reason])).toEqual([
      [0, 'start'],
      [512 + 512 + 16_000 + 384 + 16_384, 'reconnect'],
    ]);
    expect(j.stamps.map((s) => s.seq)).toEqual(parts.map((_, k) => k));
    expect(done.segments).toHaveLength(2);
    expect(done.stamps).toHaveLength(parts.length);
  });
});

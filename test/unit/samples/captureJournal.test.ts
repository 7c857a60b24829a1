/**
 * The capture journal read back in chunks (as adoption reads it after a crash): lines across chunk
 * boundaries whole, a torn last line ignored, the last durable mark the largest, a missing file empty.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { durableLine, readJournal, segmentLine, stampLine } from '../../../main/samples/captureJournal';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('capture journal', () => {
  it('reads a journal of several chunks line for line, ignoring a torn last line', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = path.join(t.dir, 'c.journal');
    const stamps = Array.from({ length: 6000 }, (_, i) => ({ sampleIndex: i * 512 - 1024, seq: i % 7 === 0 ? null : i, fixAgeSec: i % 3, gpssec: 300_000 + i, gpsnsec: (i * 42_666_667) % 1_000_000_000 }));
    let text = segmentLine({ sampleStart: 0, reason: 'start', unixNs: 1_795_860_000_000_000_000n });
    stamps.forEach((s, i) => {
      text += stampLine(s);
      if (i === 3000) text += segmentLine({ sampleStart: 1_500_000, reason: 'reconnect', unixNs: 1_795_860_125_000_000_000n });
      if (i % 100 === 99) text += durableLine((i + 1) * 2048);
    });
    // Killed while writing a line.
    fs.writeFileSync(file, `${text}T 99999 12 0 3000`);
    expect(fs.statSync(file).size).toBeGreaterThan(3 * 65536);
    const j = readJournal(file);
    expect(j.stamps).toEqual(stamps);
    expect(j.segments).toEqual([
      { sampleStart: 0, reason: 'start', unixNs: 1_795_860_000_000_000_000n },
      { sampleStart: 1_500_000, reason: 'reconnect', unixNs: 1_795_860_125_000_000_000n },
    ]);
    expect(j.durableBytes).toBe(6000 * 2048);
    expect(readJournal(path.join(t.dir, 'missing.journal'))).toEqual({ segments: [], stamps: [], durableBytes: 0 });
  });
});

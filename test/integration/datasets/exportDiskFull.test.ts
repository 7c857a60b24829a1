/**
 * An export onto a disk that fills up: a real small filesystem (a 3 MiB tmpfs mounted for the test)
 * takes exports of 6 MiB of samples. The export must stop with `disk_full` and a message saying what
 * to do, leave nothing at the destination (no partial folder, the space given back) and not touch the
 * recordings. Mounting needs root (CI runs as root); elsewhere the test is skipped and says why.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StationError } from '../../../shared/errors';
import { type ExportPlan } from '../../../main/datasets/exportModel';
import { exportNpy } from '../../../main/datasets/exportNpy';
import { exportSigmf } from '../../../main/datasets/exportSigmf';
import { simpleExportPlan, simpleExportSample } from '../../fixtures/datasets/simplePlan';
import { tempDir } from '../../helpers/tempDir';

const SAMPLES = 262_144; // 1 MiB of ci16 each
const tmp = tempDir();
const mountPoint = path.join(tmp.dir, 'small-disk');
fs.mkdirSync(mountPoint);
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint], { encoding: 'utf8' });
const canMount = mounted.status === 0;
if (!canMount) console.log(`[export disk full] skipped: cannot mount a small tmpfs here (${(mounted.stderr || mounted.error?.message || 'mount failed').trim()}); it needs root`);

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function plan(): ExportPlan {
  const samples = Array.from({ length: 6 }, (_, r) => {
    const file = path.join(tmp.dir, `cap-${r}.sigmf-data`);
    if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(SAMPLES * 4));
    return simpleExportSample(0, r, file, SAMPLES);
  });
  return simpleExportPlan(samples, { datasetName: 'full' });
}

describe.skipIf(!canMount)('an export onto a disk that fills up', () => {
  let before: Map<string, string>;
  beforeAll(() => {
    before = new Map(plan().samples.map((s) => [s.dataFile, sha(s.dataFile)]));
  });
  afterAll(() => {
    spawnSync('umount', [mountPoint]);
    tmp.cleanup();
  });

  for (const [format, write] of [
    ['sigmf', exportSigmf],
    ['npy', exportNpy],
  ] as const) {
    it(`${format}: stops with disk_full, says what to do, leaves nothing behind and the recordings untouched`, async () => {
      const p = plan();
      const out = path.join(mountPoint, format);
      const err = (await write(p, out, { fileHashes: true }).then(
        () => null,
        (e: unknown) => e,
      )) as StationError | null;
      expect(err, 'the export succeeded on a disk too small for it').not.toBeNull();
      expect(err!.code).toBe('disk_full');
      expect(err!.message).toMatch(/filled up/);
      expect(err!.message).toMatch(/Free space or choose a folder on another disk/);
      expect(fs.readdirSync(mountPoint)).toEqual([]);
      const df = fs.statfsSync(mountPoint);
      expect(df.bfree, 'the partial files still hold space').toBe(df.blocks);
      for (const s of p.samples) expect(sha(s.dataFile)).toBe(before.get(s.dataFile));
    });
  }
});

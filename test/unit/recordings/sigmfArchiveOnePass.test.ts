/**
 * The one-pass SigMF archive: written from reused buffers with hand-made tar headers, it must read
 * back as any tar (our reader on tar-stream, Python's tarfile), with long names through pax records,
 * the data member byte for byte, and the meta holding the data's sha512.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { offThreadHash } from '../../../main/datasets/offThreadHash';
import { readSigmfArchive, writeSigmfArchiveOnePass } from '../../../main/recordings/sigmf/archive';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function archive(dir: string, name: string, data: Buffer, chunk: number): Promise<string> {
  const file = path.join(dir, `${name.slice(0, 40)}.sigmf`);
  const fd = fs.openSync(file, 'w');
  // Chunks from one reused buffer, as the export reads them.
  const reused = Buffer.alloc(chunk);
  async function* chunks() {
    for (let off = 0; off < data.length; off += chunk) {
      const n = Math.min(chunk, data.length - off);
      data.copy(reused, 0, off, off + n);
      yield reused.subarray(0, n);
    }
  }
  await writeSigmfArchiveOnePass({ write: async (c) => void fs.writeSync(fd, c) }, name, { size: data.length, chunks: chunks() }, (sha512) => JSON.stringify({ global: { 'core:sha512': sha512 } }), { mtime: new Date('2026-11-22T10:00:00Z'), sha512: offThreadHash('sha512') });
  fs.closeSync(fd);
  return file;
}

describe('one-pass SigMF archive', () => {
  for (const [what, name] of [
    ['a short name', 'acq1_rx1'],
    ['a 200-character name (pax path records)', `acq_${'x'.repeat(196)}`],
  ] as const) {
    it(`reads back whole with ${what}`, async () => {
      const t = tempDir();
      cleanups.push(t.cleanup);
      const data = Buffer.from(Array.from({ length: 300_001 }, (_, i) => (i * 7919) & 0xff));
      const file = await archive(t.dir, name, data, 65_536);
      expect(fs.statSync(file).size % 512).toBe(0);
      const members = await readSigmfArchive(file);
      expect([...members.keys()].sort()).toEqual([`${name}/${name}.sigmf-data`, `${name}/${name}.sigmf-meta`]);
      expect(members.get(`${name}/${name}.sigmf-data`)!.equals(data)).toBe(true);
      const meta = JSON.parse(members.get(`${name}/${name}.sigmf-meta`)!.toString('utf8')) as { global: Record<string, string> };
      expect(meta.global['core:sha512']).toBe(createHash('sha512').update(data).digest('hex'));
      const py = spawnSync('python3', ['-c', 'import sys, tarfile, hashlib\nt = tarfile.open(sys.argv[1])\nfor m in t.getmembers(): print(m.name, m.type.decode(), m.size, oct(m.mode), hashlib.sha256(t.extractfile(m).read()).hexdigest() if m.isfile() else "-")', file], { encoding: 'utf8' });
      if (py.status === null || (py.status !== 0 && /No such file|not found/.test(py.stderr))) return; // no python3 here
      expect(py.stderr).toBe('');
      expect(py.stdout.trim().split('\n')).toEqual([
        `${name} 5 0 0o755 -`,
        `${name}/${name}.sigmf-data 0 ${data.length} 0o644 ${createHash('sha256').update(data).digest('hex')}`,
        `${name}/${name}.sigmf-meta 0 ${members.get(`${name}/${name}.sigmf-meta`)!.length} 0o644 ${createHash('sha256').update(members.get(`${name}/${name}.sigmf-meta`)!).digest('hex')}`,
      ]);
    });
  }
});

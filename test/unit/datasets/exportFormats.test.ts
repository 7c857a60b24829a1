import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ci16ToComplex64, npyBytes, npyHeader } from '../../../main/datasets/npyFormat';
import { readSigmfArchive, writeSigmfArchive } from '../../../main/recordings/sigmf/archive';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};
const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

describe('NumPy .npy v1.0', () => {
  it('pads the header so the data starts on a 64-byte boundary and ends the header with a newline', () => {
    for (const shape of [[0], [7], [123456789], [3, 2]]) {
      const h = npyHeader('<c8', shape);
      expect(h.length % 64).toBe(0);
      expect(h.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
      expect([h[6], h[7]]).toEqual([1, 0]);
      expect(h.readUInt16LE(8)).toBe(h.length - 10);
      expect(h[h.length - 1]).toBe(0x0a);
      expect(h.toString('latin1')).toContain(`'shape': ${shape.length === 1 ? `(${shape[0]},)` : '(3, 2)'}`);
    }
  });

  it.runIf(python)('loads in numpy with the right dtype, shape and values', () => {
    const d = dir();
    const iq = new Int16Array([16384, -16384, 0, 32767, -32768, 1]);
    fs.writeFileSync(path.join(d, 's_iq.npy'), npyBytes('<c8', [3], ci16ToComplex64(iq)));
    fs.writeFileSync(path.join(d, 's_label.npy'), npyBytes('<f8', [2], new Float64Array([45.07, 7.69])));
    const r = spawnSync(
      'python3',
      ['-c', `import numpy as np, json, sys\na=np.load(sys.argv[1]); b=np.load(sys.argv[2])\nprint(json.dumps([str(a.dtype), a.shape, a.real.tolist(), a.imag.tolist(), str(b.dtype), b.tolist()]))`, path.join(d, 's_iq.npy'), path.join(d, 's_label.npy')],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const [dtype, shape, re, im, ldtype, label] = JSON.parse(r.stdout) as [string, number[], number[], number[], string, number[]];
    expect([dtype, shape, ldtype, label]).toEqual(['complex64', [3], 'float64', [45.07, 7.69]]);
    expect(re).toEqual([0.5, 0, -1]);
    expect(im[1]).toBeCloseTo(32767 / 32768, 6);
  });
});

describe('SigMF archive (.sigmf)', () => {
  it('holds <name>/<name>.sigmf-meta and .sigmf-data with 0644 files in a 0755 directory', async () => {
    const d = dir();
    const data = path.join(d, 'rx.sigmf-data');
    const bytes = Buffer.alloc(100_000, 7);
    fs.writeFileSync(data, bytes);
    const meta = JSON.stringify({ global: { 'core:datatype': 'ci16_le', 'core:version': '1.2.0' }, captures: [], annotations: [] });
    const archive = path.join(d, 'rec1.sigmf');
    await writeSigmfArchive(archive, 'rec1', meta, data);
    const members = await readSigmfArchive(archive);
    expect([...members.keys()].sort()).toEqual(['rec1/rec1.sigmf-data', 'rec1/rec1.sigmf-meta']);
    expect(members.get('rec1/rec1.sigmf-meta')!.toString()).toBe(meta);
    expect(members.get('rec1/rec1.sigmf-data')!.equals(bytes)).toBe(true);
    if (python) {
      const r = spawnSync('python3', ['-c', 'import tarfile,sys\nfor m in tarfile.open(sys.argv[1]): print(m.name, oct(m.mode), m.type.decode() if isinstance(m.type, bytes) else m.type)', archive], { encoding: 'utf8' });
      expect(r.stdout.trim().split('\n')).toEqual(['rec1 0o755 5', 'rec1/rec1.sigmf-meta 0o644 0', 'rec1/rec1.sigmf-data 0o644 0']);
    }
  });
});

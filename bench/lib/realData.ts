import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Real recordings from real receivers live outside the repository (they are not ours to ship):
 * $HEIMDALL_REAL_DATA, else ../shared/data beside the checkout. Tests and benches read them in place.
 */
export function realDataSet(name: string): { dir: string | null; why: string } {
  const roots = [process.env.HEIMDALL_REAL_DATA, path.resolve(repoRoot, '..', 'shared', 'data'), '/work/shared/data'].filter((x): x is string => !!x);
  for (const r of roots) {
    const dir = path.join(r, name);
    if (fs.existsSync(dir)) return { dir, why: '' };
  }
  return { dir: null, why: `the real recordings ${name}/ are not on this machine (looked in ${roots.join(', ')}; set HEIMDALL_REAL_DATA)` };
}

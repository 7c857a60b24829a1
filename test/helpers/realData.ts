import { spawnSync } from 'node:child_process';

// The lookup is shared with the benches (bench:locate reads the same recordings).
export { realDataSet } from '../../bench/lib/realData';

/** python3 with numpy, for oracles written independently of our code. */
export function pythonWith(...modules: string[]): boolean {
  return spawnSync('python3', ['-c', modules.map((m) => `import ${m}`).join(';')], { encoding: 'utf8' }).status === 0;
}

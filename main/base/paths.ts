import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or unpacked app) root, found from this file whether run from source or out/. */
export function appRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // main/base/paths.ts and the bundle's out/main/*.js both sit two levels below the root.
  return path.resolve(here, '../..');
}

export const resourcesDir = () => path.join(appRoot(), 'resources');
export const rendererDir = () => path.join(appRoot(), 'out', 'renderer');

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HEIMDALL_DATA_DIR) return path.resolve(env.HEIMDALL_DATA_DIR);
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'heimdall-station');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'heimdall-station');
  return path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'heimdall-station');
}

/**
 * `heimdall-station status [--json] [--data-dir D]`: what the store holds and how far sync got.
 * Reads the database read-only, so it works while a station is running on the same directory; a
 * folder without a station reads as an empty one (exists: false) and nothing is created there.
 * Heavy modules load inside the action (CLI start-up stays fast for the other commands).
 */
import path from 'node:path';
import { type Command } from 'commander';
import { dataDirOption } from './localClient';
import { defaultDataDir } from '../base/paths';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('counts of captures, measurements and sync outbox items by state and target, and the last sync error')
    .option('--json', 'print JSON', false)
    .option(...dataDirOption)
    .action(async (o: { json: boolean; dataDir?: string }) => {
      const { readStoreStatus } = await import('../sync/storeStatus');
      const st = readStoreStatus(path.resolve(o.dataDir ?? defaultDataDir()));
      if (o.json) {
        console.log(JSON.stringify(st, null, 2));
        return;
      }
      const s = st.sync;
      if (!st.exists) {
        console.log(`data directory: ${st.dataDir} (no station here yet; nothing was created)`);
        console.log('captures: 0, measurements: 0. Start one by adding a receiver: `heimdall-station receiver add <url>` (or `heimdall-station serve`).');
        return;
      }
      console.log(`data directory: ${st.dataDir}${st.running ? ' (a station is running on it)' : ''}`);
      console.log(`captures: ${s.captures}, measurements: ${s.measurements}, sample bytes to upload: ${s.pendingBytes}`);
      console.log(`sync: ${s.state}`);
      for (const c of s.outbox) console.log(`  ${c.target.padEnd(3)} ${c.state.padEnd(8)} ${c.count}`);
      if (s.lastError) console.log(`last error (${s.lastError.target}, ${s.lastError.at}): ${s.lastError.message}`);
    });
}

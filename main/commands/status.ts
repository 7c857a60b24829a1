/**
 * `heimdall-station status [--json] [--data-dir D]`: what the store holds and how far sync got.
 * Reads the database read-only, so it works while a station is running on the same directory.
 * Heavy modules load inside the action (CLI start-up stays fast for the other commands).
 */
import path from 'node:path';
import { type Command } from 'commander';
import { defaultDataDir } from '../paths';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('counts of captures, measurements and sync outbox items by state and target, and the last sync error')
    .option('--json', 'print JSON', false)
    .option('--data-dir <dir>', 'the station data directory (default: the user data folder, or $HEIMDALL_DATA_DIR)')
    .action(async (o: { json: boolean; dataDir?: string }) => {
      const { readStoreStatus } = await import('../sync/storeStatus');
      const st = readStoreStatus(path.resolve(o.dataDir ?? defaultDataDir()));
      if (o.json) {
        console.log(JSON.stringify(st, null, 2));
        return;
      }
      const s = st.sync;
      console.log(`data directory: ${st.dataDir}${st.running ? ' (a station is running on it)' : ''}`);
      console.log(`captures: ${s.captures}, measurements: ${s.measurements}, sample bytes to upload: ${s.pendingBytes}`);
      console.log(`sync: ${s.state}`);
      for (const c of s.outbox) console.log(`  ${c.target.padEnd(3)} ${c.state.padEnd(8)} ${c.count}`);
      if (s.lastError) console.log(`last error (${s.lastError.target}, ${s.lastError.at}): ${s.lastError.message}`);
    });
}

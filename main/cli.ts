import { Command, InvalidArgumentError } from 'commander';
import { registerAnalyzeCommand } from './commands/analyze';
import { registerCaptureCommand } from './commands/capture';
import { registerConfigCommand } from './commands/config';
import { registerImportCommand } from './commands/import';
import { registerLocateCommand } from './commands/locate';
import { describeStartupError, serve } from './commands/serve';
import { registerSimCommand } from './commands/sim';
import { registerStatusCommand } from './commands/status';
import { registerSessionCommand } from './commands/session';
import { registerExportCommand } from './commands/export';
import { registerSyncCommand } from './commands/sync';
import { registerReceiverCommand } from './commands/receiver';
import { registerSourceCommand } from './commands/source';
import { STATION_VERSION } from './base/version';

function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 picks a free one).');
  return n;
}

export function buildCli(): Command {
  const program = new Command('heimdall-station')
    .description('Heimdall Station: capture from web SDR receivers, keep data offline, sync it, export datasets.')
    .version(STATION_VERSION)
    .showHelpAfterError()
    .enablePositionalOptions();

  program
    .command('serve')
    .summary('run the station headless and serve the UI to a browser')
    .description('run the station headless and serve the UI to a browser. Prints http://127.0.0.1:P/?token=...: every request needs that per-start token (the page keeps it in a same-site cookie). Binds 127.0.0.1 unless --host says otherwise. --demo starts the simulated NW-Italy scene on loopback ports with its receivers registered, in a temporary data folder')
    .option('--data-dir <dir>', 'where the station keeps its database and samples (default: the user data folder, or $HEIMDALL_DATA_DIR)')
    .option('--port <port>', 'TCP port (0 = any free port)', portNumber, 8470)
    .option('--host <host>', 'address to bind; anything but 127.0.0.1 exposes the station to the network', '127.0.0.1')
    .option('--demo', 'demo mode: simulated NW-Italy receivers (KiwiSDR + OpenWebRX) on loopback, in a temporary data folder', false)
    .option('--quiet', 'only warnings and errors in the log', false)
    .action(async (o: { dataDir?: string; port: number; host: string; demo: boolean; quiet: boolean }) => {
      await serve({ dataDir: o.dataDir, port: o.port, host: o.host, demo: o.demo, quiet: o.quiet });
    });

  registerReceiverCommand(program);
  registerSourceCommand(program);
  registerSimCommand(program);
  registerCaptureCommand(program);
  registerAnalyzeCommand(program);
  registerSyncCommand(program);
  registerConfigCommand(program);
  registerStatusCommand(program);
  registerSessionCommand(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerLocateCommand(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  // `heimdall-station session list | head`: a closed pipe ends the output, not with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    console.error(`heimdall-station: ${describeStartupError(e)}`);
    process.exitCode = 1;
  }
}

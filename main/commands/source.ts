/**
 * `heimdall-station source add|list|remove|import`: the known transmitters (ground truth for
 * sessions) from a terminal, through the station API the Sessions page uses.
 */
import fs from 'node:fs';
import { type Command } from 'commander';
import { type KnownSource } from '../../shared/domain/sessions';
import { StationError } from '../../shared/errors';
import { frequencyArg, numberArg } from './args';
import { dataDirOption, printStationList, withLocalStation } from './localClient';
import { pick, shortId } from './pick';

export const SOURCE_HINT = 'List them with `heimdall-station source list`, or add one with `heimdall-station source add`.';

export function pickSource(list: readonly KnownSource[], want: string): KnownSource {
  return pick(list, want, { what: 'known source', id: (s) => s.id, name: (s) => s.name, hint: SOURCE_HINT });
}

function sourceLine(s: KnownSource): string {
  const f = s.frequencyHz ? `${(s.frequencyHz / 1e6).toFixed(6)} MHz` : 'no frequency';
  return `${shortId(s.id)}  ${s.name}  ${s.lat.toFixed(5)}, ${s.lon.toFixed(5)}${s.alt !== null ? `, ${Math.round(s.alt)} m` : ''} (±${s.errorMarginM} m), ${f}${s.kind ? `, ${s.kind}` : ''}${s.validated ? ', validated' : ''}`;
}

interface AddOptions {
  name: string;
  lat: number;
  lon: number;
  alt?: number;
  freq?: number;
  errorMargin: number;
  power?: number;
  kind?: string;
  validated: boolean;
  notes?: string;
  dataDir?: string;
}

export function registerSourceCommand(program: Command): void {
  const cmd = program.command('source').description('known transmitters (the ground truth of sessions): add, list, remove, import a CSV');

  cmd
    .command('add')
    .description('add a known transmitter at a surveyed position')
    .requiredOption('--name <name>', 'its name, unique')
    .requiredOption('--lat <deg>', 'latitude, WGS84 degrees', numberArg('--lat', -90, 90, 'degrees'))
    .requiredOption('--lon <deg>', 'longitude, WGS84 degrees', numberArg('--lon', -180, 180, 'degrees'))
    .option('--alt <m>', 'altitude above sea level in metres', numberArg('--alt', -500, 9000, 'metres'))
    .option('--freq <Hz>', 'its frequency in Hz (or 7.1M, 145500k)', frequencyArg('--freq'))
    .option('--error-margin <m>', 'how far the true position may be from lat/lon, in metres', numberArg('--error-margin', 0, 1_000_000, 'metres'), 50)
    .option('--power <dBm>', 'transmit power in dBm', numberArg('--power', -50, 100, 'dBm'))
    .option('--kind <kind>', 'e.g. beacon, repeater, handheld, broadcast')
    .option('--validated', 'its position has been checked', false)
    .option('--notes <text>', 'free notes')
    .option(...dataDirOption)
    .action(async (o: AddOptions) => {
      await withLocalStation(o.dataDir, 'write', async ({ client }) => {
        const s = await client.createKnownSource({
          name: o.name,
          lat: o.lat,
          lon: o.lon,
          alt: o.alt ?? null,
          frequencyHz: o.freq ?? null,
          errorMarginM: o.errorMargin,
          powerDbm: o.power ?? null,
          kind: o.kind ?? null,
          validated: o.validated,
          notes: o.notes ?? null,
        });
        console.log(`added ${sourceLine(s)}`);
      });
    });

  cmd
    .command('list')
    .description('known transmitters, by name')
    .option('--json', 'as JSON', false)
    .option(...dataDirOption)
    .action((o: { json: boolean; dataDir?: string }) =>
      printStationList(o, {
        load: (client) => client.listKnownSources(),
        line: sourceLine,
        noStation: (dataDir) => `No known sources: there is no station in ${dataDir} yet (nothing was created). Add one with \`heimdall-station source add\`.`,
        empty: 'No known sources yet. Add one with `heimdall-station source add --name N --lat D --lon D`, or import a CSV with `heimdall-station source import <file>`.',
      }),
    );

  cmd
    .command('remove <name-or-id...>')
    .description('remove known transmitters that no session uses')
    .option(...dataDirOption)
    .action(async (wanted: string[], o: { dataDir?: string }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const list = await client.listKnownSources();
        for (const s of wanted.map((w) => pickSource(list, w))) {
          await client.deleteKnownSource({ id: s.id });
          console.log(`removed ${s.name} (${shortId(s.id)})`);
        }
      });
    });

  cmd
    .command('import <file>')
    .description('import known transmitters from CSV (the columns of the Sessions page export); a row with a known name updates it')
    .option('--dry-run', 'only say what would change', false)
    .option(...dataDirOption)
    .action(async (file: string, o: { dryRun: boolean; dataDir?: string }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new StationError('not_found', `Cannot read ${file} (${(e as Error).message}). Check the path.`);
      }
      await withLocalStation(o.dataDir, o.dryRun ? 'read' : 'write', async ({ client }) => {
        const r = await client.importKnownSourcesCsv({ text, dryRun: o.dryRun });
        console.log(`${file}: ${r.added} ${o.dryRun ? 'would be added' : 'added'}, ${r.updated} ${o.dryRun ? 'would be updated' : 'updated'}, ${r.rejected.length} rows rejected`);
        for (const x of r.rejected.slice(0, 20)) console.log(`  line ${x.line}: ${x.reason}`);
        if (r.rejected.length && !r.added && !r.updated) process.exitCode = 1;
      });
    });
}

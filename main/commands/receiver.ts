/**
 * `heimdall-station receiver add|list|remove|import|load-set`: the receiver registry from a
 * terminal, through the station API the Receivers page uses.
 */
import fs from 'node:fs';
import { type Command, Option } from 'commander';
import { type StationClient } from '../../shared/client';
import { receiverKinds, type Receiver, type ReceiverKind } from '../../shared/domain/receiver';
import { isStationError, StationError } from '../../shared/errors';
import { numberArg } from './args';
import { resourcesDir } from '../base/paths';
import { dataDirOption, printStationList, withLocalStation } from './localClient';
import { pick, shortId } from './pick';

export const RECEIVER_HINT = 'List them with `heimdall-station receiver list`, or add one with `heimdall-station receiver add <url>`.';

export function pickReceiver(list: readonly Receiver[], want: string): Receiver {
  return pick(list, want, { what: 'receiver', id: (r) => r.id, name: (r) => r.name, hint: RECEIVER_HINT });
}

const kindLabel = (k: ReceiverKind) => (k === 'kiwisdr' ? 'KiwiSDR' : 'OpenWebRX');
const where = (r: { lat: number | null; lon: number | null; alt: number | null }) =>
  r.lat === null || r.lon === null ? 'no position' : `${r.lat.toFixed(4)}, ${r.lon.toFixed(4)}${r.alt !== null ? `, ${Math.round(r.alt)} m` : ''}`;

function receiverLine(r: Receiver): string {
  return `${shortId(r.id)}  ${kindLabel(r.kind).padEnd(9)} ${r.name}  ${r.url}  (${where(r)})${r.active ? '' : ' [inactive]'}`;
}

interface AddOptions {
  name?: string;
  kind?: ReceiverKind;
  lat?: number;
  lon?: number;
  alt?: number;
  notes?: string;
  inactive: boolean;
  dataDir?: string;
}

async function addReceiver(client: StationClient, url: string, o: AddOptions): Promise<Receiver> {
  const have = await client.listReceivers();
  const dup = have.find((r) => r.url.replace(/\/+$/, '').toLowerCase() === url.trim().replace(/\/+$/, '').toLowerCase());
  if (dup) throw new StationError('conflict', `${url} is already a receiver here: "${dup.name}" (${shortId(dup.id)}). Nothing was changed.`);
  // Ask the receiver what it is unless the operator said everything (adding offline works then).
  let probed: Awaited<ReturnType<StationClient['identifyReceiver']>> | null = null;
  if (!o.name || !o.kind) {
    try {
      probed = await client.identifyReceiver({ url });
    } catch (e) {
      throw new StationError(isStationError(e) ? e.code : 'unavailable', `${(e as Error).message} To add it without asking it, give --kind and --name.`);
    }
    if (o.kind && probed.kind !== o.kind) throw new StationError('invalid_input', `${url} answers as ${kindLabel(probed.kind)}, not ${kindLabel(o.kind)}. Leave out --kind, or check the address.`);
  }
  return client.createReceiver({
    url,
    name: o.name ?? probed!.name,
    kind: o.kind ?? probed!.kind,
    lat: o.lat ?? probed?.lat ?? null,
    lon: o.lon ?? probed?.lon ?? null,
    alt: o.alt ?? probed?.alt ?? null,
    active: !o.inactive,
    notes: o.notes ?? '',
  });
}

export function registerReceiverCommand(program: Command): void {
  const cmd = program.command('receiver').description('the receivers this station records from: add, list, remove, import a list, load a shipped set');

  cmd
    .command('add <url>')
    .description('add a receiver by its web address; kind, name and position come from its /status (KiwiSDR) or /status.json (OpenWebRX) unless given')
    .option('--name <name>', 'name to show (default: the name the receiver reports)')
    .addOption(new Option('--kind <kind>', 'receiver software (default: detected)').choices([...receiverKinds]))
    .option('--lat <deg>', 'latitude, WGS84 degrees (default: reported)', numberArg('--lat', -90, 90, 'degrees'))
    .option('--lon <deg>', 'longitude, WGS84 degrees (default: reported)', numberArg('--lon', -180, 180, 'degrees'))
    .option('--alt <m>', 'altitude above sea level in metres (default: reported)', numberArg('--alt', -500, 9000, 'metres'))
    .option('--notes <text>', 'free notes')
    .option('--inactive', 'add it switched off (not used for captures or health checks)', false)
    .option(...dataDirOption)
    .action(async (url: string, o: AddOptions) => {
      await withLocalStation(o.dataDir, 'write', async ({ client }) => {
        const r = await addReceiver(client, url, o);
        console.log(`added ${receiverLine(r)}`);
      });
    });

  cmd
    .command('list')
    .description('receivers, by name')
    .option('--json', 'as JSON', false)
    .option(...dataDirOption)
    .action((o: { json: boolean; dataDir?: string }) =>
      printStationList(o, {
        load: (client) => client.listReceivers(),
        line: receiverLine,
        noStation: (dataDir) => `No receivers: there is no station in ${dataDir} yet (nothing was created). Add one with \`heimdall-station receiver add <url>\`.`,
        empty: 'No receivers yet. Add one with `heimdall-station receiver add <url>`, or load the shipped set with `heimdall-station receiver load-set`.',
      }),
    );

  cmd
    .command('remove <name-or-id...>')
    .description('remove receivers (sessions keep what they recorded)')
    .option(...dataDirOption)
    .action(async (wanted: string[], o: { dataDir?: string }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const list = await client.listReceivers();
        const chosen = wanted.map((w) => pickReceiver(list, w));
        for (const r of chosen) {
          await client.deleteReceiver({ id: r.id });
          console.log(`removed ${r.name} (${shortId(r.id)})`);
        }
      });
    });

  cmd
    .command('import <file>')
    .description('add the receivers of a list file: Heimdall JSON, kiwisdr.com (kiwisdr_com.js) or receiverbook.de; ones already here (same URL) are skipped')
    .addOption(new Option('--format <format>', 'list format').choices(['auto', 'heimdall', 'kiwisdr_com', 'receiverbook']).default('auto'))
    .option('--dry-run', 'only say what would be added', false)
    .option(...dataDirOption)
    .action(async (file: string, o: { format: 'auto' | 'heimdall' | 'kiwisdr_com' | 'receiverbook'; dryRun: boolean; dataDir?: string }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new StationError('not_found', `Cannot read ${file} (${(e as Error).message}). Check the path.`);
      }
      await withLocalStation(o.dataDir, o.dryRun ? 'read' : 'write', async ({ client }) => {
        const r = await client.importReceivers({ text, format: o.format, dryRun: o.dryRun });
        console.log(`${file} (${r.format}): ${r.found} receivers found, ${r.added} ${o.dryRun ? 'would be added' : 'added'}, ${r.skipped} already here, ${r.rejected.length} rejected`);
        for (const x of r.rejected.slice(0, 20)) console.log(`  rejected ${x.entry}: ${x.reason}`);
      });
    });

  cmd
    .command('load-set [set]')
    .description('add the receivers of a set shipped with the station (without a set: list the sets); they are real receivers on the internet')
    .option(...dataDirOption)
    .action(async (set: string | undefined, o: { dataDir?: string }) => {
      const { loadReceiverSets } = await import('../receivers/receiverSets');
      const sets = loadReceiverSets(resourcesDir());
      if (!set) {
        for (const s of sets) console.log(`${s.id}  ${s.receivers.length} receivers: ${s.name} - ${s.description}`);
        console.log('Load one with `heimdall-station receiver load-set <set>`.');
        return;
      }
      const chosen = pick(sets, set, { what: 'receiver set', id: (s) => s.id, name: (s) => s.name, hint: 'List them with `heimdall-station receiver load-set`.' });
      await withLocalStation(o.dataDir, 'write', async ({ client }) => {
        const r = await client.loadReceiverSet({ setId: chosen.id });
        console.log(`${chosen.name}: ${r.added} added, ${r.skipped} already here. These receivers are on the internet: the station needs a network to reach them.`);
      });
    });
}

/**
 * `heimdall-station session create|list|show|record|approve|reject`: recording sessions from a
 * terminal, through the same API the UI uses (so the same checks and messages).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { captureModes } from '../../shared/domain/monitor';
import { type Session } from '../../shared/domain/sessions';
import { StationError } from '../../shared/errors';
import { openLocalStation } from './localClient';

const positive = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number.`);
  return n;
};

function passbandArg(v: string): { lowHz: number; highHz: number } {
  const m = /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('--passband is low:high in Hz around the dial, e.g. -2500:2500 or 300:2700.');
  return { lowHz: Number(m[1]), highHz: Number(m[2]) };
}

const fmtDb = (v: number | null) => (v === null ? '   -  ' : `${v.toFixed(1).padStart(6)}`);

function printSession(s: Session): void {
  console.log(`${s.name}  [${s.state}]  id ${s.id}`);
  if (s.stateReason) console.log(`  ${s.stateReason}`);
  console.log(`  ${(s.freqHz / 1e6).toFixed(6)} MHz ${s.mode}${s.passband ? ` ${s.passband.lowHz}..${s.passband.highHz} Hz` : ''}, source ${s.sourceName ?? '(none)'}, ${s.durationSec ?? 'open-ended'} s${s.rounds ? ` or ${s.rounds} rounds` : ''}, started ${s.startedAt ?? '-'}, ended ${s.endedAt ?? '-'}`);
  console.log(`  receivers: ${s.receivers.map((r) => r.name).join(', ')}`);
  for (const c of s.captures) console.log(`  capture ${c.receiverName}: ${c.status}, ${c.sampleCount} samples at ${c.sampleRate} S/s${c.gpsStamped ? ', GPS time' : ''}${c.message ? ` - ${c.message}` : ''}`);
  for (const g of s.segments) {
    console.log(`  segment ${g.id} ${g.origin.padEnd(8)} ${new Date(g.startMs).toISOString()} +${((g.endMs - g.startMs) / 1000).toFixed(2)} s "${g.label}"`);
    for (const r of g.reviews) console.log(`    ${r.decision.padEnd(8)} ${r.receiverName.padEnd(28)} SNR ${fmtDb(r.snrDb)} dB  signal ${fmtDb(r.signalPowerDb)} dB  offset ${r.freqOffsetHz === null ? '-' : r.freqOffsetHz.toFixed(1)} Hz`);
  }
}

async function withStation<T>(dataDir: string | undefined, fn: (c: Awaited<ReturnType<typeof openLocalStation>>) => Promise<T>): Promise<T> {
  const opened = await openLocalStation(dataDir);
  try {
    return await fn(opened);
  } finally {
    await opened.station.close();
  }
}

export function registerSessionCommand(program: Command): void {
  const cmd = program.command('session').description('recording sessions: create, list, show, record, approve or reject');
  const dataDirOpt = ['--data-dir <dir>', 'the station data directory (default: the user data folder, or $HEIMDALL_DATA_DIR)'] as const;

  cmd
    .command('create')
    .description('plan a session (draft): a name, a frequency, receivers (names or ids), and optionally a known source')
    .requiredOption('--name <name>', 'session name')
    .requiredOption('--freq <Hz>', 'dial frequency in Hz', positive('--freq'))
    .requiredOption('--receiver <name-or-id...>', 'receivers to record')
    .option('--mode <mode>', `one of ${captureModes.join(', ')}`, 'iq')
    .option('--source <name-or-id>', 'the known transmitter (ground truth)')
    .option('--duration <s>', 'seconds to record', positive('--duration'), 60)
    .option('--rounds <n>', 'key-ups to record: the recording ends a second after the last one is released', positive('--rounds'))
    .option('--passband <low:high>', 'filter edges around the dial in Hz, e.g. -2500:2500 (default: the mode\'s)', passbandArg)
    .option(...dataDirOpt)
    .action(async (o: { name: string; freq: number; receiver: string[]; mode: string; source?: string; duration: number; rounds?: number; passband?: { lowHz: number; highHz: number }; dataDir?: string }) => {
      await withStation(o.dataDir, async ({ client }) => {
        const receivers = await client.listReceivers();
        const receiverIds = o.receiver.map((want) => {
          const r = receivers.find((x) => x.id === want || x.name.toLowerCase() === want.toLowerCase());
          if (!r) throw new StationError('not_found', `No receiver "${want}". List them with \`heimdall-station status\` or add it in the Receivers page.`);
          return r.id;
        });
        let sourceId: string | null = null;
        if (o.source) {
          const src = (await client.listKnownSources()).find((x) => x.id === o.source || x.name.toLowerCase() === o.source!.toLowerCase());
          if (!src) throw new StationError('not_found', `No known source "${o.source}". Add it on the Sessions page (Known sources) or import a CSV.`);
          sourceId = src.id;
        }
        const s = await client.createSession({ name: o.name, freqHz: Math.round(o.freq), mode: o.mode as Session['mode'], passband: o.passband ?? null, rounds: o.rounds ? Math.round(o.rounds) : null, receiverIds, sourceId, durationSec: o.duration });
        printSession(s);
      });
    });

  cmd
    .command('list')
    .description('sessions, newest first')
    .option(...dataDirOpt)
    .option('--json', 'as JSON', false)
    .action(async (o: { dataDir?: string; json: boolean }) => {
      await withStation(o.dataDir, async ({ client }) => {
        const list = await client.listSessions();
        if (o.json) return console.log(JSON.stringify(list, null, 2));
        if (!list.length) return console.log('No sessions yet. Create one with `heimdall-station session create` or on the Sessions page.');
        for (const s of list) console.log(`${s.id}  ${s.state.padEnd(9)} ${(s.freqHz / 1e6).toFixed(6)} MHz  ${s.receiverCount} rx  ${s.approvedSegments}/${s.segmentCount} segments approved  ${s.name}`);
      });
    });

  cmd
    .command('show <id>')
    .description('one session with its captures, segments and per-receiver reviews')
    .option(...dataDirOpt)
    .option('--json', 'as JSON', false)
    .action(async (id: string, o: { dataDir?: string; json: boolean }) => {
      await withStation(o.dataDir, async ({ client }) => {
        const s = await client.getSession({ id });
        if (o.json) console.log(JSON.stringify(s, null, 2));
        else printSession(s);
      });
    });

  cmd
    .command('record <id>')
    .description('record a draft session for its duration (Ctrl-C stops early and keeps what was captured)')
    .option(...dataDirOpt)
    .action(async (id: string, o: { dataDir?: string }) => {
      await withStation(o.dataDir, async ({ client }) => {
        let s = await client.startSession({ id });
        console.log(`recording "${s.name}" from ${s.startedAt}; Ctrl-C to stop`);
        const stop = () => void client.stopSession({ id });
        process.once('SIGINT', stop);
        while (s.state === 'recording') {
          await new Promise((r) => setTimeout(r, 500));
          s = await client.getSession({ id });
        }
        process.off('SIGINT', stop);
        printSession(s);
        if (s.state === 'failed') process.exitCode = 1;
      });
    });

  for (const decision of ['approve', 'reject'] as const) {
    cmd
      .command(`${decision} <id>`)
      .description(decision === 'approve' ? 'approve a session in review (with --all-segments, approve every operator-marked segment first)' : 'reject a session in review')
      .option('--all-segments', 'approve every segment the operator marked, for every receiver', false)
      .option('--notes <text>', 'notes to keep with the decision')
      .option(...dataDirOpt)
      .action(async (id: string, o: { dataDir?: string; allSegments: boolean; notes?: string }) => {
        await withStation(o.dataDir, async ({ client }) => {
          if (decision === 'approve' && o.allSegments) {
            const s = await client.getSession({ id });
            for (const g of s.segments.filter((x) => x.origin !== 'detector')) await client.reviewSegment({ sessionId: id, segmentId: g.id, decision: 'approved' });
          }
          printSession(await client.decideSession({ id, decision: decision === 'approve' ? 'approved' : 'rejected', notes: o.notes }));
        });
      });
  }
}

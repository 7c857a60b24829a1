/**
 * `heimdall-station session create|list|show|record|approve|reject|reopen`: recording sessions
 * from a terminal, through the same API the UI uses (so the same checks and messages). Marking and
 * reviewing segments are in sessionReview.ts.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { captureModes } from '../../shared/domain/monitor';
import { type Session } from '../../shared/domain/sessions';
import { StationError } from '../../shared/errors';
import { frequencyArg, positiveArg, wholeArg } from './args';
import { dataDirOption, resolveDataDir, stationExists, withLocalStation } from './localClient';
import { shortId } from './pick';
import { pickReceiver } from './receiver';
import { hasApproved, pickSession, printSession, printSummaryLine } from './sessionFormat';
import { registerSessionReviewCommands } from './sessionReview';
import { pickSource } from './source';

function passbandArg(v: string): { lowHz: number; highHz: number } {
  const m = /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('--passband is low:high in Hz around the dial, e.g. -2500:2500 or 300:2700.');
  return { lowHz: Number(m[1]), highHz: Number(m[2]) };
}

/** Why a session cannot be approved yet, and the commands that fix it. */
function nothingApproved(s: Session): StationError {
  const id = shortId(s.id);
  if (!s.segments.length) {
    return new StationError('conflict', `Nothing to approve: session ${id} has no segments. Mark a transmission with \`heimdall-station session mark ${id} --start <s> --end <s>\`, then approve again.`);
  }
  const proposed = s.segments.filter((g) => g.origin === 'detector').length;
  return new StationError(
    'conflict',
    `Nothing in session ${id} is approved yet (${s.segments.length} segments: ${proposed} proposed by the detector, ${s.segments.length - proposed} marked). Approve some with \`heimdall-station session review ${id} <segment> --approve\` (see them with \`session show ${id}\`), or all with \`heimdall-station session approve ${id} --all-segments\`.`,
  );
}

export function registerSessionCommand(program: Command): void {
  const cmd = program.command('session').description('recording sessions: create, list, show, record, mark and review segments, approve or reject');

  cmd
    .command('create')
    .description('plan a session (draft): a name, a frequency, receivers (names or ids), and optionally a known source')
    .requiredOption('--name <name>', 'session name')
    .requiredOption('--freq <Hz>', 'dial frequency in Hz (or 7.1M, 7100k)', frequencyArg('--freq'))
    .requiredOption('--receiver <name-or-id...>', 'receivers to record')
    .addOption(new Option('--mode <mode>', 'what to record: IQ (KiwiSDR only) or a demodulated mode').choices([...captureModes]).default('iq'))
    .option('--source <name-or-id>', 'the known transmitter (ground truth)')
    .option('--duration <s>', 'seconds to record', positiveArg('--duration', 'seconds'), 60)
    .option('--rounds <n>', 'key-ups to record: the recording ends a second after the last one is released', wholeArg('--rounds'))
    .option('--passband <low:high>', "filter edges around the dial in Hz, e.g. -2500:2500 (default: the mode's)", passbandArg)
    .option(...dataDirOption)
    .action(async (o: { name: string; freq: number; receiver: string[]; mode: Session['mode']; source?: string; duration: number; rounds?: number; passband?: { lowHz: number; highHz: number }; dataDir?: string }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const receivers = await client.listReceivers();
        const receiverIds = o.receiver.map((want) => pickReceiver(receivers, want).id);
        const sourceId = o.source ? pickSource(await client.listKnownSources(), o.source).id : null;
        const s = await client.createSession({ name: o.name, freqHz: o.freq, mode: o.mode, passband: o.passband ?? null, rounds: o.rounds ?? null, receiverIds, sourceId, durationSec: o.duration });
        printSession(s);
        console.log(`Record it with \`heimdall-station session record ${shortId(s.id)}\`.`);
      });
    });

  cmd
    .command('list')
    .description('sessions, newest first')
    .option('--json', 'as JSON', false)
    .option(...dataDirOption)
    .action(async (o: { dataDir?: string; json: boolean }) => {
      const dataDir = resolveDataDir(o.dataDir);
      if (!stationExists(dataDir)) {
        if (o.json) console.log('[]');
        else console.log(`No sessions: there is no station in ${dataDir} yet (nothing was created). Add receivers first: \`heimdall-station receiver add <url>\`.`);
        return;
      }
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const list = await client.listSessions();
        if (o.json) return console.log(JSON.stringify(list, null, 2));
        if (!list.length) return console.log('No sessions yet. Create one with `heimdall-station session create` or on the Sessions page.');
        for (const s of list) printSummaryLine(s);
      });
    });

  cmd
    .command('show <session>')
    .description('one session (id, its last 8 characters, or its name) with its captures, segments and per-receiver reviews')
    .option('--json', 'as JSON', false)
    .option(...dataDirOption)
    .action(async (want: string, o: { dataDir?: string; json: boolean }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const s = await client.getSession({ id: pickSession(await client.listSessions(), want).id });
        if (o.json) console.log(JSON.stringify(s, null, 2));
        else printSession(s);
      });
    });

  cmd
    .command('record <session>')
    .description('record a draft session for its duration (Ctrl-C stops early and keeps what was captured); it then waits in review with the detector\'s proposals')
    .option(...dataDirOption)
    .action(async (want: string, o: { dataDir?: string }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const id = pickSession(await client.listSessions(), want).id;
        let s = await client.startSession({ id });
        console.log(`recording "${s.name}" from ${s.startedAt}${s.durationSec ? ` for ${s.durationSec} s` : ''}; Ctrl-C to stop`);
        const stop = () => void client.stopSession({ id });
        process.once('SIGINT', stop);
        while (s.state === 'recording') {
          await new Promise((r) => setTimeout(r, 500));
          s = await client.getSession({ id });
        }
        process.off('SIGINT', stop);
        printSession(s);
        if (s.state === 'failed') process.exitCode = 1;
        else if (s.state === 'review') {
          const proposed = s.segments.filter((g) => g.origin === 'detector').length;
          console.log(`In review: ${proposed} segment${proposed === 1 ? '' : 's'} proposed by the detector. Approve with \`heimdall-station session review ${shortId(id)} <segment>|detected --approve\`, mark more with \`session mark\`, then \`session approve ${shortId(id)}\`.`);
        }
      });
    });

  cmd
    .command('approve <session>')
    .description('approve a session in review; it needs at least one approved segment (the options approve segments first)')
    .option('--all-segments', 'first approve every segment (proposed by the detector, marked, or by hand) for every receiver', false)
    .option('--detected', 'first approve the segments the detector proposed', false)
    .option('--marked', 'first approve the segments marked by the operator or by hand', false)
    .option('--notes <text>', 'notes to keep with the decision')
    .option(...dataDirOption)
    .action(async (want: string, o: { dataDir?: string; allSegments: boolean; detected: boolean; marked: boolean; notes?: string }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const id = pickSession(await client.listSessions(), want).id;
        let s = await client.getSession({ id });
        const chosen = s.segments.filter((g) => o.allSegments || (o.detected && g.origin === 'detector') || (o.marked && g.origin !== 'detector'));
        if (chosen.length && s.state !== 'review') throw new StationError('conflict', `Session ${shortId(id)} is ${s.state}; segments can be approved only in review${s.state === 'approved' || s.state === 'rejected' ? ` (reopen it with \`heimdall-station session reopen ${shortId(id)}\`)` : ''}.`);
        for (const g of chosen) s = await client.reviewSegment({ sessionId: id, segmentId: g.id, decision: 'approved' });
        if (s.state === 'review' && !hasApproved(s)) throw nothingApproved(s);
        printSession(await client.decideSession({ id, decision: 'approved', notes: o.notes }));
      });
    });

  cmd
    .command('reject <session>')
    .description('reject a session in review (its captures are kept, out of datasets)')
    .option('--notes <text>', 'notes to keep with the decision (why)')
    .option(...dataDirOption)
    .action(async (want: string, o: { dataDir?: string; notes?: string }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const id = pickSession(await client.listSessions(), want).id;
        printSession(await client.decideSession({ id, decision: 'rejected', notes: o.notes }));
      });
    });

  cmd
    .command('reopen <session>')
    .description('reopen the review of an approved or rejected session')
    .option(...dataDirOption)
    .action(async (want: string, o: { dataDir?: string }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const id = pickSession(await client.listSessions(), want).id;
        printSession(await client.decideSession({ id, decision: 'review' }));
      });
    });

  registerSessionReviewCommands(cmd);
}

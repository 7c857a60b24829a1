/**
 * `heimdall-station session mark|unmark|review`: what the review view does with the mouse —
 * mark a transmission by hand, remove a segment, approve or reject segments (all receivers or one).
 */
import { Option, type Command } from 'commander';
import { StationError } from '../../shared/errors';
import { momentArg, toUnixMs } from './args';
import { dataDirOption, withLocalStation } from './localClient';
import { shortId } from './pick';
import { pickReceiver } from './receiver';
import { ORIGIN_LABEL, pickSegment, pickSegments, pickSession } from './sessionFormat';

export function registerSessionReviewCommands(cmd: Command): void {
  cmd
    .command('mark <session>')
    .description('mark a transmission by hand in a session in review (times are seconds after the recording started, or UTC)')
    .requiredOption('--start <time>', 'where it starts: seconds after the start (e.g. 12.5) or a UTC time', momentArg('--start'))
    .requiredOption('--end <time>', 'where it ends, the same way', momentArg('--end'))
    .option('--label <label>', 'what it is', 'transmission')
    .option(...dataDirOption)
    .action(async (want: string, o: { start: string; end: string; label: string; dataDir?: string }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const id = pickSession(await client.listSessions(), want).id;
        const before = await client.getSession({ id });
        if (!before.startedAt) throw new StationError('conflict', `Session ${shortId(id)} has not been recorded yet: record it with \`heimdall-station session record ${shortId(id)}\` first.`);
        const t0 = Date.parse(before.startedAt);
        const startMs = toUnixMs(o.start, t0);
        const endMs = toUnixMs(o.end, t0);
        if (endMs <= startMs) throw new StationError('invalid_input', `--end (${o.end}) must come after --start (${o.start}).`);
        const after = await client.addSegment({ sessionId: id, startMs, endMs, label: o.label });
        const known = new Set(before.segments.map((g) => g.id));
        const added = after.segments.find((g) => !known.has(g.id));
        console.log(`marked segment ${added ? shortId(added.id) : '?'} "${o.label}" ${((startMs - t0) / 1000).toFixed(2)}-${((endMs - t0) / 1000).toFixed(2)} s (${new Date(startMs).toISOString()}); approve it with \`heimdall-station session review ${shortId(id)} ${added ? shortId(added.id) : '<segment>'} --approve\``);
      });
    });

  cmd
    .command('unmark <session> <segment>')
    .description('remove a segment from a session in review')
    .option(...dataDirOption)
    .action(async (want: string, seg: string, o: { dataDir?: string }) => {
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const id = pickSession(await client.listSessions(), want).id;
        const g = pickSegment(await client.getSession({ id }), seg);
        await client.deleteSegment({ sessionId: id, segmentId: g.id });
        console.log(`removed segment ${shortId(g.id)} (${ORIGIN_LABEL[g.origin]})`);
      });
    });

  cmd
    .command('review <session> <segments...>')
    .description('approve or reject segments (ids, their last 8 characters, or detected, marked, all), for every receiver or one; label them')
    .addOption(new Option('--approve', 'approve them').conflicts(['reject', 'pending']))
    .addOption(new Option('--reject', 'reject them').conflicts(['pending']))
    .option('--pending', 'undo a decision', false)
    .option('--receiver <name-or-id>', "only this receiver's recording of them")
    .option('--label <label>', 'what they are (e.g. beacon)')
    .option('--notes <text>', 'notes')
    .option(...dataDirOption)
    .action(async (want: string, segs: string[], o: { approve?: boolean; reject?: boolean; pending: boolean; receiver?: string; label?: string; notes?: string; dataDir?: string }) => {
      const decision = o.approve ? 'approved' : o.reject ? 'rejected' : o.pending ? 'pending' : undefined;
      if (!decision && o.label === undefined && o.notes === undefined) throw new StationError('invalid_input', 'Say what to do with the segments: --approve, --reject, --pending, --label or --notes.');
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const id = pickSession(await client.listSessions(), want).id;
        let s = await client.getSession({ id });
        const chosen = pickSegments(s, segs);
        if (!chosen.length) throw new StationError('not_found', `No segments match ${segs.join(' ')} in session ${shortId(id)}. See them with \`heimdall-station session show ${shortId(id)}\`.`);
        const receiver = o.receiver ? pickReceiver(await client.listReceivers(), o.receiver) : null;
        if (receiver && !s.receivers.some((r) => r.receiverId === receiver.id)) throw new StationError('not_found', `${receiver.name} is not part of session ${shortId(id)} (its receivers: ${s.receivers.map((r) => r.name).join(', ')}).`);
        for (const g of chosen) s = await client.reviewSegment({ sessionId: id, segmentId: g.id, receiverId: receiver?.id, decision, label: o.label, notes: o.notes });
        for (const g of s.segments.filter((x) => chosen.some((c) => c.id === x.id))) {
          const approved = g.reviews.filter((r) => r.decision === 'approved').length;
          console.log(`segment ${shortId(g.id)} ${ORIGIN_LABEL[g.origin].padEnd(8)} "${g.label}": ${approved}/${g.reviews.length} receivers approved${decision ? ` (${decision}${receiver ? ` for ${receiver.name}` : ''})` : ''}`);
        }
      });
    });
}

/** How sessions look in a terminal, and how a session or segment argument is found. */
import { type Session, type SessionSegment, type SessionSummary } from '../../shared/domain/sessions';
import { pick, shortId } from './pick';

const fmtDb = (v: number | null) => (v === null ? '   -  ' : `${v.toFixed(1).padStart(6)}`);
export const ORIGIN_LABEL: Record<SessionSegment['origin'], string> = { detector: 'proposed', operator: 'marked', manual: 'by hand' };

export function pickSession(list: readonly SessionSummary[], want: string): SessionSummary {
  return pick(list, want, { what: 'session', id: (s) => s.id, name: (s) => s.name, hint: 'List them with `heimdall-station session list`.' });
}

export function pickSegment(s: Session, want: string): SessionSegment {
  return pick(s.segments, want, { what: 'segment', id: (g) => g.id, hint: `See the segments with \`heimdall-station session show ${shortId(s.id)}\`.` });
}

/** Segment arguments: ids (or their last characters), or `all`, `detected`, `marked` (operator and by hand). */
export function pickSegments(s: Session, wanted: readonly string[]): SessionSegment[] {
  const out = new Map<string, SessionSegment>();
  for (const w of wanted) {
    const k = w.toLowerCase();
    const group = k === 'all' ? s.segments : k === 'detected' ? s.segments.filter((g) => g.origin === 'detector') : k === 'marked' ? s.segments.filter((g) => g.origin !== 'detector') : [pickSegment(s, w)];
    for (const g of group) out.set(g.id, g);
  }
  return [...out.values()];
}

const approvedCount = (g: SessionSegment) => g.reviews.filter((r) => r.decision === 'approved').length;

export function hasApproved(s: Session): boolean {
  return s.segments.some((g) => approvedCount(g) > 0);
}

export function printSession(s: Session): void {
  const t0 = s.startedAt ? Date.parse(s.startedAt) : null;
  console.log(`${s.name}  [${s.state}]  id ${s.id} (short ${shortId(s.id)})`);
  if (s.stateReason) console.log(`  ${s.stateReason}`);
  console.log(`  ${(s.freqHz / 1e6).toFixed(6)} MHz ${s.mode}${s.passband ? ` ${s.passband.lowHz}..${s.passband.highHz} Hz` : ''}, source ${s.sourceName ?? '(none)'}, ${s.durationSec ?? 'open-ended'} s${s.rounds ? ` or ${s.rounds} rounds` : ''}, started ${s.startedAt ?? '-'}, ended ${s.endedAt ?? '-'}`);
  console.log(`  receivers: ${s.receivers.map((r) => r.name).join(', ')}`);
  for (const c of s.captures) console.log(`  capture ${c.receiverName}: ${c.status}, ${c.sampleCount} samples at ${c.sampleRate} S/s${c.gpsStamped ? ', GPS time' : ''}${c.message ? ` - ${c.message}` : ''}`);
  for (const g of s.segments) {
    const rel = t0 === null ? '' : ` (${((g.startMs - t0) / 1000).toFixed(1)}-${((g.endMs - t0) / 1000).toFixed(1)} s)`;
    console.log(`  segment ${shortId(g.id)} ${ORIGIN_LABEL[g.origin].padEnd(8)} ${new Date(g.startMs).toISOString()} +${((g.endMs - g.startMs) / 1000).toFixed(2)} s${rel} "${g.label}", ${approvedCount(g)}/${g.reviews.length} approved`);
    for (const r of g.reviews) console.log(`    ${r.decision.padEnd(8)} ${r.receiverName.padEnd(28)} SNR ${fmtDb(r.snrDb)} dB  signal ${fmtDb(r.signalPowerDb)} dB  offset ${r.freqOffsetHz === null ? '-' : r.freqOffsetHz.toFixed(1)} Hz`);
  }
}

export function printSummaryLine(s: SessionSummary): void {
  console.log(`${shortId(s.id)}  ${s.state.padEnd(9)} ${(s.freqHz / 1e6).toFixed(6)} MHz  ${s.receiverCount} rx  ${s.approvedSegments}/${s.segmentCount} segments approved  ${s.name}`);
}

import { describe, expect, it } from 'vitest';
import { describeCondition, retryPolicy, type ReceiverCondition } from '../../../main/receivers/receiverState';

// One of each condition, with the values a real server would send.
const ALL: ReceiverCondition[] = [
  { code: 'connecting' },
  { code: 'streaming' },
  { code: 'unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:8073' },
  { code: 'dropped', detail: 'the SND socket closed' },
  { code: 'stalled', seconds: 12 },
  { code: 'too_busy', channels: 4 },
  { code: 'too_busy', channels: null },
  { code: 'redirect', to: 'http://127.0.0.1:8074/' },
  { code: 'bad_password' },
  { code: 'not_ready', badp: 2 },
  { code: 'not_ready', badp: 6 },
  { code: 'disabled', reason: 'antenna maintenance' },
  { code: 'inactivity_timeout', minutes: 30 },
  { code: 'ip_limit', minutes: 1440 },
  { code: 'ip_limit', minutes: null },
  { code: 'kicked', reason: 'kiwi kick' },
  { code: 'backoff', reason: 'Too many clients' },
  { code: 'server_error', detail: 'sdr_error' },
  { code: 'protocol_error', detail: 'sample_rate=abc' },
];

/** Words that tell the operator what to do or what the station does next. */
const ACTION = /\b(retry|retrying|reconnecting|wait|waiting|try|use|enter|check|report|follow|following|re-tunes|do not)\b/i;

describe('receiver conditions (shared by the KiwiSDR and OpenWebRX clients)', () => {
  it('each has one plain sentence saying what happened and what to do (or what the station does)', () => {
    const problems: string[] = [];
    for (const c of ALL) {
      const s = describeCondition(c);
      if (!/[.…]$/.test(s)) problems.push(`${c.code}: "${s}" is not a finished sentence`);
      if (/undefined|null|NaN|\s{2}/.test(s)) problems.push(`${c.code}: "${s}" shows a missing value`);
      if (c.code !== 'connecting' && c.code !== 'streaming' && !ACTION.test(s)) problems.push(`${c.code}: "${s}" names no action`);
    }
    expect(problems).toEqual([]);
  });

  it('puts the server values into the sentence', () => {
    expect(describeCondition({ code: 'too_busy', channels: 4 })).toContain('4');
    expect(describeCondition({ code: 'redirect', to: 'http://127.0.0.1:8074/' })).toContain('http://127.0.0.1:8074/');
    expect(describeCondition({ code: 'disabled', reason: 'antenna maintenance' })).toContain('antenna maintenance');
    expect(describeCondition({ code: 'inactivity_timeout', minutes: 30 })).toContain('30');
  });

  it('never auto-retries ip_limit, a bad password, a kick or a disabled receiver; backs off 15 s when busy', () => {
    for (const code of ['ip_limit', 'bad_password', 'kicked', 'disabled'] as const) {
      const c = ALL.find((x) => x.code === code)!;
      expect(retryPolicy(c), code).toEqual({ retry: false });
    }
    const busy = retryPolicy({ code: 'too_busy', channels: 4 });
    expect(busy.retry && busy.minDelayMs).toBeGreaterThanOrEqual(15_000);
    const notReady = retryPolicy({ code: 'not_ready', badp: 2 });
    expect(notReady.retry).toBe(true);
  });
});

import { describeCondition, type ReceiverCondition } from '../../receivers/receiverState';
import { alignedInterval } from './alignedInterval';
import { nextDelayMs } from './reconnectPolicy';
import { type LinkEvents, type LinkState, type ReceiverLink } from './receiverLink';

const STALL_MS = 10_000;

function toLinkState(c: ReceiverCondition, retryInMs: number | null): LinkState {
  const phase = c.code === 'streaming' ? 'streaming' : c.code === 'connecting' ? 'connecting' : retryInMs !== null ? 'backoff' : 'failed';
  return { phase, code: c.code, message: describeCondition(c), ...(retryInMs !== null ? { retryInMs } : {}) };
}

/** What one connection attempt reports back to the link. */
export interface AttemptReport {
  /** Data arrived: the connection is not stalled. */
  data(): void;
  condition(c: ReceiverCondition): void;
  closed(c: ReceiverCondition): void;
}

export type Attempt = (url: string, ev: LinkEvents, report: AttemptReport) => { close(c: ReceiverCondition): void };

/**
 * The reconnect policy every receiver link shares: retry by the server condition's rules with
 * backoff and jitter, follow one redirect, and treat a connection that stops delivering as stalled.
 */
export function retryingLink(initialUrl: string, attempt: Attempt): ReceiverLink {
  let stopped = false;
  let failures = 0;
  let url = initialUrl;
  let redirected = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let stallTimer: { clear(): void } | null = null;
  let current: { close(c?: ReceiverCondition): void } | null = null;

  const connect = (ev: LinkEvents) => {
    if (stopped) return;
    let lastData = Date.now();
    const report: AttemptReport = {
      data: () => (lastData = Date.now()),
      condition: (c) => {
        if (c.code === 'streaming') failures = 0;
        if (c.code === 'streaming' || c.code === 'connecting') ev.state(toLinkState(c, null));
      },
      closed: (c) => {
        stallTimer?.clear();
        if (stopped) return;
        if (c.code === 'redirect' && !redirected && c.to) {
          redirected = true;
          url = c.to.replace(/^ws/, 'http');
          ev.state({ phase: 'connecting', code: 'redirect', message: describeCondition(c) });
          connect(ev);
          return;
        }
        const delay = nextDelayMs(c, failures++);
        ev.state(toLinkState(c, delay));
        if (delay !== null) retryTimer = setTimeout(() => connect(ev), delay);
      },
    };
    const a = attempt(url, ev, report);
    current = a;
    stallTimer = alignedInterval(() => {
      if (Date.now() - lastData > STALL_MS) a.close({ code: 'stalled', seconds: Math.round((Date.now() - lastData) / 1000) });
    }, 1000);
  };

  return {
    start: (ev) => connect(ev),
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      stallTimer?.clear();
      current?.close();
    },
  };
}

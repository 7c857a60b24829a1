import { OpenWebRxClient } from '../../receivers/openwebrx/client';
import { describeCondition, type ReceiverCondition } from '../../receivers/receiverState';
import { nextDelayMs } from './reconnectPolicy';
import { type LinkEvents, type LinkOptions, type LinkState, type ReceiverLink } from './receiverLink';

const STALL_MS = 10_000;

function toLinkState(c: ReceiverCondition, retryInMs: number | null): LinkState {
  const phase = c.code === 'streaming' ? 'streaming' : c.code === 'connecting' ? 'connecting' : retryInMs !== null ? 'backoff' : 'failed';
  return { phase, code: c.code, message: describeCondition(c), ...(retryInMs !== null ? { retryInMs } : {}) };
}

/**
 * An OpenWebRX as a capture link: demodulated audio (ri16, 12 kHz, host-time stamped; no IQ and no
 * GPS time), spectrum rows and S-meter; reconnects with backoff, longer after a server backoff.
 */
export function openwebrxLink(opts: LinkOptions): ReceiverLink {
  let client: OpenWebRxClient | null = null;
  let stopped = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let stallTimer: NodeJS.Timeout | null = null;

  const connect = (ev: LinkEvents) => {
    if (stopped) return;
    const c = new OpenWebRxClient({ url: opts.url, freqHz: opts.freqHz, mode: opts.mode, clientName: opts.identUser.replace(/\s+/g, '_') });
    client = c;
    let lastData = Date.now();
    stallTimer = setInterval(() => {
      if (Date.now() - lastData > STALL_MS) c.close({ code: 'stalled', seconds: Math.round((Date.now() - lastData) / 1000) });
    }, 1000);
    c.on('condition', (cond) => {
      if (cond.code === 'streaming') attempt = 0;
      if (cond.code === 'streaming' || cond.code === 'connecting') ev.state(toLinkState(cond, null));
    });
    c.on('audio', (a) => {
      lastData = Date.now();
      ev.samples({ kind: 'audio', samples: a.samples, sampleRate: a.sampleRate, firstSampleUnixNs: null, hostTimeMs: a.hostTimeMs, seq: a.seq });
    });
    c.on('fft', (r) => {
      lastData = Date.now();
      if (opts.wantSpectrum) ev.spectrum({ db: r.db, startHz: r.startHz, spanHz: r.spanHz, timeMs: r.timeMs });
    });
    c.on('smeter', (db) => ev.smeter(db, Date.now()));
    c.on('closed', (cond) => {
      if (stallTimer) clearInterval(stallTimer);
      if (stopped) return;
      const delay = nextDelayMs(cond, attempt++);
      ev.state(toLinkState(cond, delay));
      if (delay !== null) retryTimer = setTimeout(() => connect(ev), delay);
    });
    c.open();
  };

  return {
    start: (ev) => connect(ev),
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (stallTimer) clearInterval(stallTimer);
      client?.close();
    },
  };
}

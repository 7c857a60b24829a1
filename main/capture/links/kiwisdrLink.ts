import { KiwiSdrChannel } from '../../receivers/kiwisdr/client';
import { describeCondition, type ReceiverCondition } from '../../receivers/receiverState';
import { nextDelayMs } from './reconnectPolicy';
import { type LinkEvents, type LinkOptions, type LinkState, type ReceiverLink } from './receiverLink';

const STALL_MS = 10_000;

function toLinkState(c: ReceiverCondition, retryInMs: number | null): LinkState {
  const phase = c.code === 'streaming' ? 'streaming' : c.code === 'connecting' ? 'connecting' : retryInMs !== null ? 'backoff' : 'failed';
  return { phase, code: c.code, message: describeCondition(c), ...(retryInMs !== null ? { retryInMs } : {}) };
}

/** A KiwiSDR as a capture link: reconnects by the server's rules, follows one redirect, notices stalls. */
export function kiwisdrLink(opts: LinkOptions): ReceiverLink {
  let channel: KiwiSdrChannel | null = null;
  let stopped = false;
  let attempt = 0;
  let url = opts.url;
  let redirected = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let stallTimer: NodeJS.Timeout | null = null;
  let lastSmeter = 0;

  const connect = (ev: LinkEvents) => {
    if (stopped) return;
    const ch = new KiwiSdrChannel({
      url,
      password: opts.password,
      freqHz: opts.freqHz,
      mode: opts.mode,
      identUser: opts.identUser,
      waterfall: opts.wantSpectrum ? { zoom: 10, speed: 4, compressed: true } : null,
      agc: false,
    });
    channel = ch;
    let lastData = Date.now();
    stallTimer = setInterval(() => {
      if (Date.now() - lastData > STALL_MS) ch.close({ code: 'stalled', seconds: Math.round((Date.now() - lastData) / 1000) });
    }, 1000);
    ch.on('condition', (c) => {
      if (c.code === 'streaming') attempt = 0;
      if (c.code === 'streaming' || c.code === 'connecting') ev.state(toLinkState(c, null));
    });
    ch.on('samples', (s) => {
      lastData = Date.now();
      ev.samples({ kind: s.kind, samples: s.samples, sampleRate: s.sampleRate, firstSampleUnixNs: s.unixNs, hostTimeMs: s.hostTimeMs, seq: s.seq, ...(s.gps ? { gpsFixAgeSec: s.gps.solution } : {}) });
      if (s.hostTimeMs - lastSmeter >= 250) {
        lastSmeter = s.hostTimeMs;
        ev.smeter(s.smeterDbm, s.hostTimeMs);
      }
    });
    ch.on('wf', (r) => ev.spectrum({ db: r.dbm, startHz: r.startHz, spanHz: r.spanHz, timeMs: r.timeMs }));
    ch.on('closed', (c) => {
      if (stallTimer) clearInterval(stallTimer);
      if (stopped) return;
      if (c.code === 'redirect' && !redirected && c.to) {
        redirected = true;
        url = c.to.replace(/^ws/, 'http');
        ev.state({ phase: 'connecting', code: 'redirect', message: `${describeCondition(c)} Following it once.` });
        connect(ev);
        return;
      }
      const delay = nextDelayMs(c, attempt++);
      ev.state(toLinkState(c, delay));
      if (delay !== null) retryTimer = setTimeout(() => connect(ev), delay);
    });
    ch.open();
  };

  return {
    start: (ev) => connect(ev),
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (stallTimer) clearInterval(stallTimer);
      channel?.close();
    },
  };
}

import { OpenWebRxClient } from '../../receivers/openwebrx/client';
import { type LinkOptions, type ReceiverLink } from './receiverLink';
import { retryingLink } from './retryingLink';

/**
 * An OpenWebRX as a capture link: demodulated audio (ri16, 12 kHz, host-time stamped; no IQ and
 * no GPS time), spectrum rows and a relative S-meter.
 */
export function openwebrxLink(opts: LinkOptions): ReceiverLink {
  // What the listener last chose; a reconnect asks for it again.
  const demod = { mode: opts.mode, passband: opts.passband ?? null };
  let client: OpenWebRxClient | null = null;
  const link = retryingLink(opts.url, (url, ev, report) => {
    const c = new OpenWebRxClient({ url, freqHz: opts.freqHz, mode: demod.mode, passband: demod.passband, clientName: opts.identUser.replace(/\s+/g, '_') });
    c.on('condition', report.condition);
    c.on('closed', report.closed);
    c.on('audio', (a) => {
      report.data();
      ev.samples({ kind: 'audio', samples: a.samples, sampleRate: a.sampleRate, firstSampleUnixNs: null, hostTimeMs: a.hostTimeMs, seq: a.seq });
    });
    c.on('fft', (r) => {
      report.data();
      if (opts.wantSpectrum) ev.spectrum({ db: r.db, startHz: r.startHz, spanHz: r.spanHz, timeMs: r.timeMs });
    });
    c.on('smeter', (db) => ev.smeter(db, Date.now()));
    c.open();
    client = c;
    return c;
  });
  return {
    ...link,
    setDemod(mode, passband) {
      demod.mode = mode;
      demod.passband = passband;
      client?.setDemod(mode, passband);
    },
  };
}

import { KiwiSdrChannel } from '../../receivers/kiwisdr/client';
import { type LinkOptions, type ReceiverLink } from './receiverLink';
import { retryingLink } from './retryingLink';

/** A KiwiSDR as a capture link: IQ or audio with GPS time, W/F rows, S-meter at most 4 times a second. */
export function kiwisdrLink(opts: LinkOptions): ReceiverLink {
  let lastSmeter = 0;
  // What the listener last chose; a reconnect asks for it again.
  const demod = { mode: opts.mode, passband: opts.passband ?? null };
  let channel: KiwiSdrChannel | null = null;
  const link = retryingLink(opts.url, (url, ev, report) => {
    const ch = new KiwiSdrChannel({
      url,
      password: opts.password,
      freqHz: opts.freqHz,
      mode: demod.mode,
      passband: demod.passband,
      identUser: opts.identUser,
      // Uncompressed rows (~24 kB/s): ADPCM cannot follow a one-bin step of 80 dB, so a narrow
      // carrier such as a CW beacon came out dimmed or dark in compressed rows.
      waterfall: opts.wantSpectrum ? { zoom: 10, speed: 4, compressed: false } : null,
      agc: false,
    });
    ch.on('condition', report.condition);
    ch.on('closed', report.closed);
    ch.on('samples', (s) => {
      report.data();
      // One object shape for every block (a spread per block cost more than the rest of this handler).
      ev.samples({ kind: s.kind, samples: s.samples, sampleRate: s.sampleRate, firstSampleUnixNs: s.unixNs, hostTimeMs: s.hostTimeMs, seq: s.seq, gps: s.gps ? { fixAgeSec: s.gps.solution, gpssec: s.gps.gpssec, gpsnsec: s.gps.gpsnsec } : undefined });
      if (s.hostTimeMs - lastSmeter >= 250) {
        lastSmeter = s.hostTimeMs;
        ev.smeter(s.smeterDbm, s.hostTimeMs);
      }
    });
    ch.on('wf', (r) => ev.spectrum({ db: r.dbm, startHz: r.startHz, spanHz: r.spanHz, timeMs: r.timeMs, seq: r.seq }));
    ch.open();
    channel = ch;
    return ch;
  });
  return {
    ...link,
    setDemod(mode, passband) {
      demod.mode = mode;
      demod.passband = passband;
      channel?.setMode(mode, passband);
    },
  };
}

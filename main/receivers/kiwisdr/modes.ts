/** Station mode names -> KiwiSDR `SET mod` names and default passbands (Hz, relative to the dial). */
const KIWI_MODE: Record<string, { mod: string; low: number; high: number }> = {
  iq: { mod: 'iq', low: -5000, high: 5000 },
  usb: { mod: 'usb', low: 300, high: 2700 },
  lsb: { mod: 'lsb', low: -2700, high: -300 },
  am: { mod: 'am', low: -4900, high: 4900 },
  cw: { mod: 'cw', low: 300, high: 700 },
  nfm: { mod: 'nbfm', low: -6000, high: 6000 },
};

export function kiwiMode(mode: string, sampleRate: number, passband?: { lowHz: number; highHz: number } | null): { mod: string; low: number; high: number } {
  const d = KIWI_MODE[mode] ?? { mod: mode, low: -3000, high: 3000 };
  const m = passband ? { mod: d.mod, low: Math.round(passband.lowHz), high: Math.round(passband.highHz) } : d;
  // The server clamps passbands to +-(rate/2 - 1); clamping here keeps what we ask for what we get.
  const lim = Math.floor(sampleRate / 2 - 1);
  return { mod: m.mod, low: Math.max(-lim, m.low), high: Math.min(lim, m.high) };
}

export const KIWI_STEREO_MODES = new Set(['iq', 'drm', 'sas', 'qam']);

/** Station mode names -> OpenWebRX `mod` names and passbands (Hz, relative to the tuned frequency). */
const OWRX_MODE: Record<string, { mod: string; low: number; high: number }> = {
  usb: { mod: 'usb', low: 300, high: 2700 },
  lsb: { mod: 'lsb', low: -2700, high: -300 },
  am: { mod: 'am', low: -4000, high: 4000 },
  cw: { mod: 'cw', low: 700, high: 900 },
  nfm: { mod: 'nfm', low: -4000, high: 4000 },
};

export function owrxMode(mode: string, passband?: { lowHz: number; highHz: number } | null): { mod: string; low: number; high: number } | null {
  const m = OWRX_MODE[mode];
  if (!m) return null;
  return passband ? { mod: m.mod, low: Math.round(passband.lowHz), high: Math.round(passband.highHz) } : m;
}

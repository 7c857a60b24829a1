/** Formatting and parsing shared by the Sessions, Known sources and Datasets screens. */

export function fmtFreq(hz: number | null | undefined): string {
  if (hz === null || hz === undefined) return '—';
  if (hz >= 1e6) return `${trimZeros((hz / 1e6).toFixed(4))} MHz`;
  if (hz >= 1e3) return `${trimZeros((hz / 1e3).toFixed(3))} kHz`;
  return `${hz} Hz`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** The frequency as the operator would type it in a "MHz" field. */
export const hzToMHzText = (hz: number | null | undefined): string => (hz ? trimZeros((hz / 1e6).toFixed(6)) : '');

/**
 * Parses a frequency typed by the operator: a bare number is MHz ("7.1"), a unit may follow
 * ("7100 kHz", "7100000 Hz", "145.5 MHz", "1.2 GHz"); a comma works as the decimal point.
 * Returns whole hertz, or null when the text is not a frequency.
 */
export function parseFreqHz(text: string): number | null {
  const m = /^\s*([0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)\s*(hz|khz|mhz|ghz)?\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]!.replace(',', '.'));
  const unit = (m[2] ?? 'mhz').toLowerCase();
  const mult = unit === 'hz' ? 1 : unit === 'khz' ? 1e3 : unit === 'ghz' ? 1e9 : 1e6;
  const hz = Math.round(n * mult);
  return Number.isFinite(hz) && hz > 0 ? hz : null;
}

/** A number field: '' -> null, bad text -> undefined (so callers can report it). */
export function parseNumber(text: string): number | null | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function fmtDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return '—';
  if (sec < 10) return `${sec.toFixed(1)} s`;
  if (sec < 120) return `${Math.round(sec)} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  if (m < 120) return `${m} min${s ? ` ${s} s` : ''}`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** mm:ss for running clocks. */
export function fmtClock(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay ? `today ${d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}` : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / (1 << 30)).toFixed(2)} GiB`;
}

export const fmtDb = (db: number | null | undefined, unit = 'dB'): string => (db === null || db === undefined ? '—' : `${db.toFixed(1)} ${unit}`);

export function fmtOffsetHz(hz: number | null | undefined): string {
  if (hz === null || hz === undefined) return '—';
  const sign = hz > 0 ? '+' : hz < 0 ? '−' : '±';
  const a = Math.abs(hz);
  return a >= 1000 ? `${sign}${(a / 1000).toFixed(2)} kHz` : `${sign}${a.toFixed(a < 10 ? 1 : 0)} Hz`;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));


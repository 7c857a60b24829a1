/**
 * Option parsers shared by the commands: each rejects bad input with a sentence that names the
 * flag, its unit and an example, before anything is opened or written.
 */
import { InvalidArgumentError } from 'commander';

const SUFFIX: Record<string, number> = { '': 1, hz: 1, k: 1e3, khz: 1e3, m: 1e6, mhz: 1e6, g: 1e9, ghz: 1e9 };

/** Hz, or with a unit: 7100000, 7100k, 7.1M, 7.1MHz. Below 10 kHz is taken for a forgotten unit. */
export function frequencyArg(flag = '--freq', minHz = 10_000) {
  return (v: string): number => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(v);
    const mult = m ? SUFFIX[m[2]!.toLowerCase()] : undefined;
    if (!m || mult === undefined) throw new InvalidArgumentError(`${flag} is a frequency in Hz, e.g. 7100000 (or 7100k, 7.1M).`);
    const hz = Math.round(Number(m[1]) * mult);
    if (hz < minHz) {
      const asMhz = Number(m[1]) < 100 && !m[2] ? ` For ${m[1]} MHz write ${Math.round(Number(m[1]) * 1e6)} or ${m[1]}M.` : '';
      throw new InvalidArgumentError(`${flag} is in Hz: ${v.trim()} is ${Number(m[1]) * mult} Hz, below ${minHz / 1000} kHz.${asMhz}`);
    }
    return hz;
  };
}

export function positiveArg(flag: string, unit = '') {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || v.trim() === '') throw new InvalidArgumentError(`${flag} must be a positive number${unit ? ` (${unit})` : ''}.`);
    return n;
  };
}

export function wholeArg(flag: string, min = 1) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} must be a whole number of at least ${min}.`);
    return n;
  };
}

export function numberArg(flag: string, lo: number, hi: number, unit: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < lo || n > hi) throw new InvalidArgumentError(`${flag} is ${unit} from ${lo} to ${hi}.`);
    return n;
  };
}

/**
 * A moment in a recording: seconds after it started (12.5) or a UTC time (2026-11-22T10:00:05.2Z).
 * Returned as given; `toUnixMs` places it once the session's start is known.
 */
export function momentArg(flag: string) {
  return (v: string): string => {
    if (/^\d+(\.\d+)?$/.test(v.trim()) || !Number.isNaN(Date.parse(v))) return v.trim();
    throw new InvalidArgumentError(`${flag} is seconds after the recording started (e.g. 12.5) or a UTC time (e.g. 2026-11-22T10:00:05.2Z).`);
  };
}

export function toUnixMs(moment: string, startedAtMs: number): number {
  return /^\d+(\.\d+)?$/.test(moment) ? startedAtMs + Number(moment) * 1000 : Date.parse(moment);
}

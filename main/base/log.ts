/** A small leveled logger; the station passes one around instead of calling console directly. */
export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export function consoleLogger(prefix = 'station', quiet = false): Logger {
  const stamp = () => new Date().toISOString();
  return {
    info: (m, ...d) => {
      if (!quiet) console.log(`${stamp()} [${prefix}] ${m}`, ...d);
    },
    warn: (m, ...d) => console.warn(`${stamp()} [${prefix}] warning: ${m}`, ...d),
    error: (m, ...d) => console.error(`${stamp()} [${prefix}] error: ${m}`, ...d),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Finds the one thing a command argument names: its id, a unique start or end of the id (the CLI
 * prints the last 8 characters: ids are UUIDv7, whose first characters are a timestamp shared by
 * everything made in the same minute), its name (case-insensitive), or a unique part of its name.
 */
import { StationError } from '../../shared/errors';

export const shortId = (id: string): string => id.slice(-8);

export interface PickSpec<T> {
  /** "session", "receiver", ... */
  what: string;
  id: (t: T) => string;
  name?: (t: T) => string;
  /** Where to see them all, e.g. "List them with `heimdall-station session list`." */
  hint: string;
}

export function pick<T>(items: readonly T[], want: string, spec: PickSpec<T>): T {
  const w = want.trim().toLowerCase();
  const exact = items.find((t) => spec.id(t).toLowerCase() === w);
  if (exact) return exact;
  const named = spec.name ? items.filter((t) => spec.name!(t).trim().toLowerCase() === w) : [];
  if (named.length === 1) return named[0]!;
  const byId = w.length >= 4 ? items.filter((t) => spec.id(t).toLowerCase().startsWith(w) || spec.id(t).toLowerCase().endsWith(w)) : [];
  // Last, a unique part of a name ("aosta" for "KiwiSDR Aosta (sim)").
  const partly = !named.length && !byId.length && spec.name ? items.filter((t) => spec.name!(t).toLowerCase().includes(w)) : [];
  const found = named.length > 1 ? named : byId.length ? byId : partly;
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    const listed = found.slice(0, 5).map((t) => `${spec.id(t)}${spec.name ? ` (${spec.name(t)})` : ''}`).join(', ');
    throw new StationError('invalid_input', `"${want}" matches ${found.length} ${spec.what}s: ${listed}${found.length > 5 ? ', ...' : ''}. Give more of the id.`);
  }
  const short = w.length < 4 && !named.length ? ' (give at least 4 characters of an id)' : '';
  throw new StationError('not_found', `No ${spec.what} "${want}"${short}. ${spec.hint}`);
}

/**
 * What the station does with receivers: add, change and remove them, load a shipped set, import a
 * receiver list, ask a URL what it is. Every change that reaches the registry is announced once
 * (receivers.changed) from here; the API layer only maps methods to these.
 */
import { type z } from 'zod';
import { type receiverInputSchema, type receiverPatchSchema, type Receiver, type ReceiverIdentity, type ReceiverSetFile } from '../../shared/domain/receiver';
import { StationError } from '../../shared/errors';
import { identifyReceiver } from './identify';
import { parseReceiverList, type ReceiverListFormat } from './import/receiverLists';
import { findReceiverSet } from './receiverSets';
import { normalizeReceiverUrl, type ReceiverRegistry } from './registry';

export interface ReceiverListImport {
  format: 'heimdall' | 'kiwisdr_com' | 'receiverbook';
  found: number;
  added: number;
  skipped: number;
  rejected: { entry: string; reason: string }[];
}

export function createReceiverService(deps: {
  registry: ReceiverRegistry;
  /** Sets shipped in resources/receivers/. */
  sets: ReceiverSetFile[];
  /** Publishes receivers.changed. */
  changed: () => void;
  identify?: (url: string) => Promise<ReceiverIdentity>;
}) {
  const { registry, sets, changed } = deps;
  return {
    list: (): Receiver[] => registry.list(),
    get: (id: string): Receiver => registry.get(id),
    create(input: z.output<typeof receiverInputSchema>): Receiver {
      const r = registry.create(input);
      changed();
      return r;
    },
    update(id: string, patch: z.output<typeof receiverPatchSchema>): Receiver {
      const r = registry.update(id, patch);
      changed();
      return r;
    },
    delete(id: string): boolean {
      const deleted = registry.delete(id);
      if (!deleted) throw new StationError('not_found', `No receiver with id ${id}. It may have been deleted already; reload the list.`);
      changed();
      return deleted;
    },
    identify: (url: string): Promise<ReceiverIdentity> => (deps.identify ?? identifyReceiver)(url),
    listSets: () => sets.map((set) => ({ id: set.id, name: set.name, description: set.description, count: set.receivers.length })),
    /** Adds the receivers of a shipped set not in the registry yet (same URL). */
    loadSet(setId: string): { added: number; skipped: number } {
      const set = findReceiverSet(sets, setId);
      let added = 0;
      for (const r of set.receivers) {
        if (registry.hasUrl(r.url)) continue;
        registry.create(r);
        added++;
      }
      if (added > 0) changed();
      return { added, skipped: set.receivers.length - added };
    },
    /** Adds the receivers of a list not in the registry yet (same URL, also within the list); dryRun only counts. */
    importList(text: string, format: ReceiverListFormat, dryRun: boolean): ReceiverListImport {
      const parsed = parseReceiverList(text, format);
      let added = 0;
      const seen = new Set<string>();
      for (const c of parsed.candidates) {
        const key = normalizeReceiverUrl(c.url);
        if (seen.has(key) || registry.hasUrl(c.url)) continue;
        seen.add(key);
        if (!dryRun) registry.create({ ...c, active: true });
        added++;
      }
      if (added > 0 && !dryRun) changed();
      return { format: parsed.format, found: parsed.candidates.length, added, skipped: parsed.candidates.length - added, rejected: parsed.rejected.slice(0, 50) };
    },
  };
}
export type ReceiverService = ReturnType<typeof createReceiverService>;

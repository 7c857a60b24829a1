import { type DomainImpl } from '../../shared/api/define';
import type * as sources from '../../shared/api/sources';
import { type KnownSources } from '../sessions/knownSources';

export function sourcesApi(s: { sources: KnownSources }): DomainImpl<typeof sources> {
  return {
    listKnownSources: () => s.sources.list(),
    createKnownSource: (input) => s.sources.create(input),
    updateKnownSource: ({ id, patch }) => s.sources.update(id, patch),
    deleteKnownSource: ({ id }) => ({ deleted: s.sources.delete(id) }),
    importKnownSourcesCsv: ({ text, dryRun }) => s.sources.importCsv(text, dryRun),
    exportKnownSourcesCsv: () => ({ text: s.sources.exportCsv() }),
    streams: {},
  };
}

import { type DomainImpl } from '../../shared/api/define';
import type * as sync from '../../shared/api/sync';
import { type SyncService } from '../sync/syncService';

export function syncApi(s: { sync: SyncService }): DomainImpl<typeof sync> {
  return {
    getSyncStatus: () => s.sync.status(),
    getSyncSettings: () => s.sync.settings.get(),
    updateSyncSettings: (input) => s.sync.settings.update(input),
    testSyncConnection: ({ target, settings }) => s.sync.testConnection(target, settings),
    pauseSync: () => s.sync.pause(),
    resumeSync: () => s.sync.resume(),
    retrySync: ({ target }) => s.sync.retryFailed(target),
    syncNow: () => s.sync.syncNow(),
    drainSync: async ({ timeoutSeconds }) => {
      const r = await s.sync.drain(timeoutSeconds * 1000);
      return { complete: r.complete, passes: r.passes, status: s.sync.status() };
    },
    streams: {},
  };
}

/**
 * Central-store sync: status, settings (secrets write-only: outputs only say whether each is set),
 * connection test, pause/resume/retry, a pass now, and a drain that waits (the CLI's `sync --once`).
 */
import { z } from 'zod';
import { syncConnectionTestSchema, syncSettingsUpdateSchema, syncSettingsViewSchema, syncStatusSchema, syncTargetSchema } from '../domain/syncSettings';
import { empty, method } from './define';

export const methods = {
  getSyncStatus: method(empty, syncStatusSchema, 'How far sync got: state, outbox counts by target, bytes to upload, the last error.'),
  getSyncSettings: method(empty, syncSettingsViewSchema, 'The central store settings (MinIO/S3 + PostgreSQL) and which secrets are set.'),
  updateSyncSettings: method(syncSettingsUpdateSchema, syncSettingsViewSchema, 'Change the central store settings; a secret is set by a string, cleared by null, kept when absent.'),
  testSyncConnection: method(
    z.object({ target: z.enum(['s3', 'pg', 'both']).default('both'), settings: syncSettingsUpdateSchema.optional() }),
    syncConnectionTestSchema,
    "Try the connections with the saved settings, or with unsaved ones (the form's values) merged over them.",
  ),
  pauseSync: method(empty, syncStatusSchema, 'Pause syncing (the pass under way stops at the next item).'),
  resumeSync: method(empty, syncStatusSchema, 'Resume syncing.'),
  retrySync: method(z.object({ target: syncTargetSchema.optional() }), syncStatusSchema, "Put failed outbox items back to pending (all, or one target's)."),
  syncNow: method(empty, syncStatusSchema, 'Start a pass now (does not wait for it); the status says how it went.'),
  drainSync: method(
    z.object({ timeoutSeconds: z.number().positive().max(86_400).default(600) }),
    z.object({ complete: z.boolean(), passes: z.number().int(), status: syncStatusSchema }),
    'Sync now and wait: passes until nothing is pending, or until only items waiting on a failing target remain past the timeout.',
  ),
} as const;

export const streams = {} as const;

import { z } from 'zod';

/** Training datasets: which approved recordings go in, how they split, and their exports. */

export const datasetFiltersSchema = z.object({
  /** Only these sessions (all when absent). */
  sessionIds: z.array(z.string()).max(10_000).optional(),
  /** 'approved' (default): approved sessions and approved receiver recordings only. */
  approval: z.enum(['approved', 'any_reviewed']).default('approved'),
  sourceIds: z.array(z.string()).max(10_000).optional(),
  freqMinHz: z.number().nonnegative().optional(),
  freqMaxHz: z.number().positive().optional(),
  receiverIds: z.array(z.string()).max(10_000).optional(),
  /** RFC 3339 or YYYY-MM-DD bounds on the session start. */
  from: z.string().optional(),
  to: z.string().optional(),
  minSnrDb: z.number().optional(),
});
export type DatasetFilters = z.input<typeof datasetFiltersSchema>;

export const splitRatiosSchema = z
  .object({ train: z.number().min(0).max(1), val: z.number().min(0).max(1), test: z.number().min(0).max(1) })
  .refine((r) => Math.abs(r.train + r.val + r.test - 1) < 1e-6, 'train + val + test must add up to 1');

export const datasetSpecSchema = z.object({
  name: z.string().trim().min(1, 'give the dataset a name').max(255),
  description: z.string().max(10_000).nullable().default(null),
  filters: datasetFiltersSchema.default({ approval: 'approved' }),
  ratios: splitRatiosSchema.default({ train: 0.7, val: 0.15, test: 0.15 }),
  /** Same seed, same sessions -> same splits. */
  seed: z.number().int().nonnegative().max(2 ** 31).default(1),
});
export type DatasetSpec = z.input<typeof datasetSpecSchema>;

export const splitCountsSchema = z.object({ sessions: z.number(), acquisitions: z.number(), samples: z.number() });

export const datasetPreviewSchema = z.object({
  sessions: z.number(),
  acquisitions: z.number(),
  samples: z.number(),
  receivers: z.number(),
  bytes: z.number(),
  durationSec: z.number(),
  splits: z.object({ train: splitCountsSchema, val: splitCountsSchema, test: splitCountsSchema }),
  /** Why recordings were left out (e.g. "12 below the minimum SNR"). */
  excluded: z.array(z.object({ reason: z.string(), count: z.number() })),
});
export type DatasetPreview = z.infer<typeof datasetPreviewSchema>;

export const exportFormatSchema = z.enum(['sigmf', 'npy', 'manifest']);
export type DatasetExportFormat = z.infer<typeof exportFormatSchema>;

export const exportJobSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  format: exportFormatSchema,
  outDir: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  phase: z.string(),
  doneSamples: z.number(),
  totalSamples: z.number(),
  doneBytes: z.number(),
  totalBytes: z.number(),
  message: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** s3://heimdall-datasets/... once uploaded. */
  uploadedTo: z.string().nullable(),
});
export type ExportJob = z.infer<typeof exportJobSchema>;

export const datasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  filters: datasetFiltersSchema,
  ratios: z.object({ train: z.number(), val: z.number(), test: z.number() }),
  seed: z.number(),
  createdAt: z.string(),
  preview: datasetPreviewSchema,
  exports: z.array(exportJobSchema),
});
export type Dataset = z.infer<typeof datasetSchema>;

export const exportDatasetSchema = z.object({
  /** Dataset id or name. */
  dataset: z.string().min(1),
  format: exportFormatSchema,
  /** Folder to create (must not exist or be empty); default: <data dir>/exports/<dataset>-<format>. */
  outDir: z.string().min(1).optional(),
  /** Upload the finished export to the heimdall-datasets bucket and register it (needs central-store settings). */
  upload: z.boolean().default(false),
});

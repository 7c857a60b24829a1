/** Datasets: definitions over approved sessions, previews, exports. */
import { z } from 'zod';
import { datasetPreviewSchema, datasetSchema, datasetSpecSchema, exportDatasetSchema, exportJobSchema } from '../domain/datasets';
import { empty, idInput, method } from './define';

export const methods = {
  listDatasets: method(empty, z.array(datasetSchema), 'Datasets, newest first, with their counts and exports.'),
  previewDataset: method(datasetSpecSchema, datasetPreviewSchema, 'What a dataset with these filters would hold (counts and splits), without saving it.'),
  createDataset: method(datasetSpecSchema, datasetSchema, 'Save a dataset definition.'),
  deleteDataset: method(idInput, z.object({ deleted: z.boolean() }), 'Remove a dataset definition (exported files stay).'),
  exportDataset: method(exportDatasetSchema, exportJobSchema, 'Start exporting a dataset; progress arrives as export.progress events.'),
  cancelExport: method(idInput, exportJobSchema, 'Cancel a running export (nothing is left half-written).'),
} as const;

export const streams = {} as const;

import { type DomainImpl } from '../../shared/api/define';
import type * as datasets from '../../shared/api/datasets';
import { type DatasetService } from '../datasets/datasetService';

export function datasetsApi(s: { datasets: DatasetService }): DomainImpl<typeof datasets> {
  return {
    listDatasets: () => s.datasets.list(),
    previewDataset: (spec) => s.datasets.preview(spec),
    createDataset: (spec) => s.datasets.create(spec),
    deleteDataset: ({ id }) => ({ deleted: s.datasets.delete(id) }),
    exportDataset: (input) => s.datasets.startExport(input).job,
    cancelExport: ({ id }) => s.datasets.cancel(id),
    streams: {},
  };
}

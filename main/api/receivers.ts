import { type DomainImpl } from '../../shared/api/define';
import type * as receivers from '../../shared/api/receivers';
import { type ReceiverService } from '../receivers/receiverService';

export function receiversApi(s: { receivers: ReceiverService }): DomainImpl<typeof receivers> {
  const r = s.receivers;
  return {
    listReceivers: () => r.list(),
    getReceiver: ({ id }) => r.get(id),
    createReceiver: (input) => r.create(input),
    updateReceiver: ({ id, patch }) => r.update(id, patch),
    deleteReceiver: ({ id }) => ({ deleted: r.delete(id) }),
    identifyReceiver: ({ url }) => r.identify(url),
    listReceiverSets: () => r.listSets(),
    loadReceiverSet: ({ setId }) => r.loadSet(setId),
    importReceivers: ({ text, format, dryRun }) => r.importList(text, format, dryRun),
    streams: {},
  };
}

import { type DomainImpl } from '../../shared/api/define';
import type * as locate from '../../shared/api/locate';
import { type LocateService } from '../locate/locateService';

export function locateApi(s: { locate: LocateService }): DomainImpl<typeof locate> {
  return {
    locateSession: (input) => s.locate.start(input).job,
    cancelLocate: ({ id }) => s.locate.cancel(id),
    listLocates: ({ sessionId }) => s.locate.list(sessionId),
    getLocate: ({ id }) => s.locate.get(id),
    streams: {},
  };
}

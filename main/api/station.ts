import { type StationInfo } from '../../shared/api';
import { type DomainImpl } from '../../shared/api/define';
import type * as station from '../../shared/api/station';
import { type EventBus } from '../base/events';

export function stationApi(s: { info: () => StationInfo; events: EventBus }): DomainImpl<typeof station> {
  return {
    getStationInfo: () => s.info(),
    streams: {
      stationEvents: (_params, emit, signal) => {
        const off = s.events.subscribe((e) => emit({ header: e }));
        signal.addEventListener('abort', off, { once: true });
      },
    },
  };
}

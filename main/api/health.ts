import { type DomainImpl } from '../../shared/api/define';
import type * as health from '../../shared/api/health';
import { type HealthMonitor } from '../receivers/health/healthMonitor';

export function healthApi(s: { health: HealthMonitor }): DomainImpl<typeof health> {
  return {
    listReceiverHealth: () => s.health.summary(),
    probeReceivers: ({ ids }) => s.health.probe(ids),
    streams: {},
  };
}

import { type StationApiImpl } from '../../shared/api';
import { StationError } from '../../shared/errors';

/** Stands in for the API when the core failed to start, so every call explains why instead of hanging. */
export function unavailableApi(reason: string): StationApiImpl {
  const fail = () => {
    throw new StationError('unavailable', reason);
  };
  const streams = new Proxy({}, { get: () => fail });
  return new Proxy({} as StationApiImpl, { get: (_t, key) => (key === 'streams' ? streams : fail) });
}

import { StationError } from '../../../shared/errors';
import { kiwisdrLink } from './kiwisdrLink';
import { type LinkOptions, type ReceiverLink } from './receiverLink';

export function createLink(kind: 'kiwisdr' | 'openwebrx', opts: LinkOptions): ReceiverLink {
  if (kind === 'kiwisdr') return kiwisdrLink(opts);
  throw new StationError('unavailable', `Capturing from OpenWebRX receivers is not available in this build yet (${opts.url}). Use KiwiSDR receivers for now.`);
}

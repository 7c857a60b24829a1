import { kiwisdrLink } from './kiwisdrLink';
import { openwebrxLink } from './openwebrxLink';
import { type LinkOptions, type ReceiverLink } from './receiverLink';

export function createLink(kind: 'kiwisdr' | 'openwebrx', opts: LinkOptions): ReceiverLink {
  return kind === 'kiwisdr' ? kiwisdrLink(opts) : openwebrxLink(opts);
}

/**
 * The conditions a receiver link can be in, with what the station does about each. Codes are
 * shared by both protocols; `retry` says whether the link may reconnect by itself.
 */
export type ReceiverCondition =
  | { code: 'connecting' }
  | { code: 'streaming' }
  | { code: 'unreachable'; detail: string }
  | { code: 'dropped'; detail: string }
  | { code: 'stalled'; seconds: number }
  | { code: 'too_busy'; channels: number | null }
  | { code: 'redirect'; to: string }
  | { code: 'bad_password' }
  | { code: 'not_ready'; badp: number }
  | { code: 'disabled'; reason: string }
  | { code: 'inactivity_timeout'; minutes: number }
  | { code: 'ip_limit'; minutes: number | null }
  | { code: 'kicked'; reason: string }
  | { code: 'backoff'; reason: string }
  | { code: 'server_error'; detail: string }
  | { code: 'protocol_error'; detail: string }
  /** The receiver works, but cannot give what was asked (frequency outside its bands, a mode it lacks). */
  | { code: 'not_covered'; detail: string }
  | { code: 'wrong_rate'; announcedHz: number; measuredHz: number };

export type RetryPolicy = { retry: false } | { retry: true; minDelayMs: number };

export function retryPolicy(c: ReceiverCondition): RetryPolicy {
  switch (c.code) {
    case 'too_busy':
    case 'backoff':
      return { retry: true, minDelayMs: 15_000 };
    case 'not_ready':
      return { retry: true, minDelayMs: 10_000 };
    case 'unreachable':
    case 'dropped':
    case 'stalled':
    case 'server_error':
      return { retry: true, minDelayMs: 1_000 };
    case 'inactivity_timeout':
      return { retry: true, minDelayMs: 2_000 };
    default:
      return { retry: false };
  }
}

/** One sentence for the operator: what happened and what to do. */
export function describeCondition(c: ReceiverCondition): string {
  switch (c.code) {
    case 'connecting':
      return 'Connecting…';
    case 'streaming':
      return 'Receiving.';
    case 'unreachable':
      return `The receiver cannot be reached (${c.detail}). Check the URL and the network; retrying.`;
    case 'dropped':
      return `The connection dropped (${c.detail}); reconnecting.`;
    case 'stalled':
      return `No data for ${c.seconds} s although connected; reconnecting.`;
    case 'too_busy':
      return `All ${c.channels ?? ''} channels are in use. Waiting for a free one; try another receiver meanwhile.`.replace('All  ', 'All ');
    case 'redirect':
      return `The receiver is full and sent us to ${c.to}; following it once. If that one is full too, pick another receiver.`;
    case 'bad_password':
      return 'The receiver refused the password. Enter the right one in the receiver settings.';
    case 'not_ready':
      return `The receiver is not ready (${c.badp === 6 ? 'database update' : 'starting up'}); retrying shortly.`;
    case 'disabled':
      return `The receiver is disabled by its owner: ${c.reason || 'no reason given'}. Use another receiver.`;
    case 'inactivity_timeout':
      return `The receiver ends idle connections after ${c.minutes} min; the station re-tunes to keep long captures going.`;
    case 'ip_limit':
      return `This IP used up its ${c.minutes ? `${Math.round(c.minutes / 60)} h ` : ''}time limit on the receiver. Do not retry today (more tries get the IP blocked); use another receiver.`;
    case 'kicked':
      return `The receiver ended the session (${c.reason}). Check with its owner before retrying.`;
    case 'backoff':
      return `The receiver asked us to back off (${c.reason}); retrying later.`;
    case 'server_error':
      return `The receiver reported an error (${c.detail}); retrying.`;
    case 'protocol_error':
      return `The receiver sent something this station cannot read (${c.detail}). Report it with the receiver URL.`;
    case 'not_covered':
      return `This receiver cannot do that: ${c.detail}. Choose a receiver that covers it.`;
    case 'wrong_rate':
      return `The receiver announced ${c.announcedHz} samples/s but its GPS time stamps show ${c.measuredHz.toFixed(1)}: its data cannot be trusted. Report it to its owner and use another receiver.`;
  }
}

import { type ReceiverCondition, retryPolicy } from '../../receivers/receiverState';

/** Exponential backoff with full jitter, never sooner than the server condition allows. */
export function nextDelayMs(c: ReceiverCondition, attempt: number, random: () => number = Math.random): number | null {
  const p = retryPolicy(c);
  if (!p.retry) return null;
  const cap = 60_000;
  const exp = Math.min(cap, 1000 * 2 ** Math.min(attempt, 6));
  return Math.max(p.minDelayMs, Math.round(exp / 2 + (random() * exp) / 2));
}

import { createHash } from 'node:crypto';
import { type Split } from './exportModel';

/**
 * The split of a session: a hash of (seed, session id) placed on [0, 1) against the cumulative
 * ratios. Deterministic for a seed, and stable as the dataset grows (adding sessions never moves
 * an existing one to another set, so a model's test set stays unseen across dataset versions).
 * Splitting by session, never by sample, keeps one transmission out of two sets.
 */
export function splitOf(sessionId: string, seed: number, ratios: { train: number; val: number; test: number }): Split {
  const h = createHash('sha256').update(`${seed}:${sessionId}`).digest();
  const u = h.readUInt32BE(0) / 2 ** 32;
  if (u < ratios.train) return 'train';
  if (u < ratios.train + ratios.val) return 'val';
  return 'test';
}

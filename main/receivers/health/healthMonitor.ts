import { type Logger } from '../../base/log';
import { type ReceiverRegistry } from '../registry';
import { type HealthRepo } from './healthRepo';
import { probeReceiver } from './probe';

/**
 * Probes every active receiver on a schedule (a few at a time, so a long list does not flood the
 * network) and records the results; `changed` (health.changed) fires after each round.
 */
export function createHealthMonitor(deps: { receivers: ReceiverRegistry; repo: HealthRepo; log: Logger; intervalMs?: number; concurrency?: number; changed: () => void }) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const round = async (ids?: string[]) => {
    const targets = deps.receivers.list().filter((r) => (ids ? ids.includes(r.id) : r.active));
    const queue = [...targets];
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const probe = await probeReceiver(r);
        try {
          deps.repo.record(probe);
        } catch {
          // The receiver was deleted while being probed.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 4, queue.length) }, worker));
    deps.repo.prune();
    if (targets.length) deps.changed();
  };

  const probeNow = (ids?: string[]): Promise<void> => {
    running ??= round(ids)
      .catch((e: unknown) => deps.log.warn(`health probe round failed: ${(e as Error).message}`))
      .finally(() => (running = null));
    return running;
  };

  const summary = (ids?: string[]) => deps.repo.summary(ids ?? deps.receivers.list().map((r) => r.id));

  return {
    probeNow,
    /** Latest probe and uptime of the receivers given, or of all. */
    summary,
    /** Probes the receivers given (each must exist), or all active ones, and returns their health. */
    async probe(ids?: string[]) {
      if (ids) for (const id of ids) deps.receivers.get(id);
      await probeNow(ids);
      return summary(ids);
    },
    start(): void {
      if (timer) return;
      timer = setInterval(() => void probeNow(), deps.intervalMs ?? 5 * 60_000);
      timer.unref();
      setTimeout(() => void probeNow(), 2000).unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
export type HealthMonitor = ReturnType<typeof createHealthMonitor>;

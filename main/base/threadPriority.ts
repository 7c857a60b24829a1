import os from 'node:os';

/**
 * Lowers the calling worker thread's priority (a nice value), so the main thread (API, store, UI
 * streams) goes first when the cores are busy. On Linux a nice value belongs to the thread, and
 * setpriority on "0" means the caller; elsewhere it would renice the whole process, so it is left alone.
 * Never raises it; where that is not allowed (container policy) the worker runs at normal priority.
 */
export function lowerThisThreadPriority(nice: number): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(0, Math.max(os.getPriority(0), nice));
  } catch {
    // Not allowed here: nothing changes.
  }
}

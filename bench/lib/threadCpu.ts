/**
 * CPU time per thread of this process (Linux /proc/self/task), so a bench can say where the time
 * goes: the main thread, the worker threads, and the helper threads (libuv's pool for fsync and
 * file I/O, V8's for GC and compilation). Node gives its threads no names, so the busiest ones are
 * listed by their share; the main thread is the one whose id is the process id.
 */
import fs from 'node:fs';

const TICKS_PER_SEC = 100;

export type ThreadTimes = Map<number, number>;

/** utime + stime (seconds) of every live thread of this process; empty where /proc is missing. */
export function threadTimes(pid: number | 'self' = 'self'): ThreadTimes {
  const out: ThreadTimes = new Map();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at the last ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / TICKS_PER_SEC);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** CPU seconds of a whole process (utime + stime) from /proc, or null once it is gone. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_SEC;
  } catch {
    return null;
  }
}

/**
 * Seconds each thread used between two snapshots. Threads that ended in between are missing from
 * `after` (their time is in the process total, not here), so the rows may sum to less than it.
 */
export function threadDelta(before: ThreadTimes, after: ThreadTimes): { tid: number; seconds: number }[] {
  return [...after.entries()].map(([tid, s]) => ({ tid, seconds: s - (before.get(tid) ?? 0) })).sort((a, b) => b.seconds - a.seconds);
}

/**
 * Seconds a thread of this process has spent runnable but waiting for a CPU (taken by other threads
 * or processes), from /proc/self/task/<tid>/schedstat; null where the kernel does not keep it.
 */
export function runQueueWaitSeconds(tid: number = process.pid): number | null {
  try {
    const f = fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').trim().split(' ');
    return Number(f[1]) / 1e9;
  } catch {
    return null;
  }
}

/**
 * setInterval whose ticks fall on whole multiples of `ms` of the clock. Node runs every timer of the
 * same period that is due in the same millisecond in one go, so the per-second timers of a hundred
 * receivers in a worker cost one wakeup a second instead of a hundred (each wakeup costs a context
 * switch, tens to hundreds of microseconds on a virtual machine).
 */
export function alignedInterval(fn: () => void, ms: number): { clear(): void } {
  let timer: NodeJS.Timeout = setTimeout(() => {
    timer = setInterval(fn, ms);
    fn();
  }, ms - (Date.now() % ms));
  return { clear: () => clearTimeout(timer) };
}

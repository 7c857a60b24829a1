/**
 * `fn` over `items`, at most `limit` at a time, results in the items' order. An export is bound by
 * waits (the thread pool's reads and writes, each file's fsync, the hashing threads' digests), not by
 * this thread: several files in flight keep the disk and the cores busy while some of them wait.
 * The first failure stops new work and is thrown once the running ones have settled.
 */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
  return out;
}

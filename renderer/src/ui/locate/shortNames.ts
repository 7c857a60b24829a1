/**
 * Receiver names without the words they all share ("KiwiSDR Aosta (sim)", "KiwiSDR Asti (sim)" ->
 * "Aosta", "Asti"), so pair labels on a map stay short. Names that would become empty stay whole.
 */
export function shortNames(names: readonly string[]): Map<string, string> {
  const words = names.map((n) => n.split(/\s+/).filter(Boolean));
  const out = new Map(names.map((n) => [n, n]));
  if (names.length < 2) return out;
  const shortest = Math.min(...words.map((w) => w.length));
  let head = 0;
  while (head < shortest - 1 && words.every((w) => w[head] === words[0]![head])) head++;
  let tail = 0;
  while (tail < shortest - 1 - head && words.every((w) => w[w.length - 1 - tail] === words[0]![words[0]!.length - 1 - tail])) tail++;
  names.forEach((n, i) => {
    const kept = words[i]!.slice(head, words[i]!.length - tail).join(' ');
    if (kept) out.set(n, kept);
  });
  return out;
}

/**
 * The k-th smallest of a[0..len) (k from 0), reordering a in place: Hoare's selection, linear on
 * average. The noise floor takes a median of every bin on every window, and a full sort there was
 * the costliest step of the per-frame metrics.
 */
export function kthSmallest(a: Float64Array, len: number, k: number): number {
  if (!(k >= 0 && k < len)) throw new Error(`selection index ${k} is outside 0..${len - 1}`);
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    // Median of three as the pivot: sorted or constant spectra must not go quadratic.
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

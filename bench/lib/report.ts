/**
 * Every bench prints one line per figure, as QUALITY.md asks:
 *   <name>: <value> <unit> (reference <value>, ratio <x>)
 * The ratio is value / reference for throughputs ("higher is better") and reference / value for
 * times, so a ratio above 1 always means "better than the reference".
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  reference?: number | null;
  /** 'higher' for throughputs, 'lower' for latencies and times. */
  better?: 'higher' | 'lower';
  note?: string;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

export function formatFigure(f: Figure): string {
  const better = f.better ?? 'higher';
  let ref = 'reference n/a';
  if (f.reference != null && f.reference > 0 && f.value > 0) {
    const ratio = better === 'higher' ? f.value / f.reference : f.reference / f.value;
    ref = `reference ${fmt(f.reference)}, ratio ${ratio.toFixed(2)}`;
  } else if (f.reference != null) {
    ref = `reference ${fmt(f.reference)}`;
  }
  return `${f.name}: ${fmt(f.value)} ${f.unit} (${ref})${f.note ? ` ${f.note}` : ''}`;
}

export function report(f: Figure): void {
  console.log(formatFigure(f));
}

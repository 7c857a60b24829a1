/**
 * Isolines of a field sampled on a regular grid (marching squares), joined into polylines: the
 * confidence contours of the chi2 map and each pair's hyperbola (where its predicted delay equals the
 * measured one).
 */
export interface FieldGrid {
  rows: number;
  cols: number;
  /** rows x cols, row-major; value at (row, col). */
  values: ArrayLike<number>;
  /** Position of a (fractional) grid coordinate, as [lat, lon]. */
  at(row: number, col: number): [number, number];
}

type Point = [number, number];

/** Edge ids: horizontal edge from (r, c) to (r, c+1) = 2 (r cols + c); vertical from (r, c) to (r+1, c) = that + 1. */
export function isolines(g: FieldGrid, level: number): Point[][] {
  const { rows, cols, values: v } = g;
  const point = new Map<number, Point>();
  const links = new Map<number, number[]>();
  const edgePoint = (id: number): void => {
    if (point.has(id)) return;
    const cell = id >> 1;
    const r = Math.floor(cell / cols);
    const c = cell % cols;
    const a = v[cell]!;
    const b = id & 1 ? v[cell + cols]! : v[cell + 1]!;
    const t = b === a ? 0.5 : (level - a) / (b - a);
    point.set(id, id & 1 ? g.at(r + t, c) : g.at(r, c + t));
  };
  const link = (e1: number, e2: number) => {
    edgePoint(e1);
    edgePoint(e2);
    (links.get(e1) ?? links.set(e1, []).get(e1)!).push(e2);
    (links.get(e2) ?? links.set(e2, []).get(e2)!).push(e1);
  };
  // Which rows have a value on each side of the level: a pair of rows both wholly on one side holds
  // no line, and that is most of a chi2 map (the lines circle the fix).
  const above = new Uint8Array(rows);
  const below = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let up = 0;
    let down = 0;
    for (let i = r * cols, end = i + cols; i < end; i++) {
      if (v[i]! >= level) up = 1;
      else down = 1;
      if (up & down) break;
    }
    above[r] = up;
    below[r] = down;
  }
  for (let r = 0; r + 1 < rows; r++) {
    if (!(above[r]! | above[r + 1]!) || !(below[r]! | below[r + 1]!)) continue;
    // Corner bits carried along the row: each cell reads only its right-hand column.
    let i = r * cols;
    let v00 = v[i]! >= level ? 1 : 0;
    let v10 = v[i + cols]! >= level ? 1 : 0;
    for (let c = 0; c + 1 < cols; c++, i++) {
      const v01 = v[i + 1]! >= level ? 1 : 0;
      const v11 = v[i + cols + 1]! >= level ? 1 : 0;
      const code = v00 | (v01 << 1) | (v11 << 2) | (v10 << 3);
      v00 = v01;
      v10 = v11;
      if (code === 0 || code === 15) continue;
      const bottom = 2 * i;
      const top = 2 * (i + cols);
      const left = 2 * i + 1;
      const right = 2 * (i + 1) + 1;
      switch (code) {
        case 1:
        case 14:
          link(bottom, left);
          break;
        case 2:
        case 13:
          link(bottom, right);
          break;
        case 3:
        case 12:
          link(left, right);
          break;
        case 4:
        case 11:
          link(top, right);
          break;
        case 6:
        case 9:
          link(bottom, top);
          break;
        case 7:
        case 8:
          link(left, top);
          break;
        case 5:
        case 10: {
          // Saddle: the centre decides which corners connect.
          const centre = (v[i]! + v[i + 1]! + v[i + cols]! + v[i + cols + 1]!) / 4 >= level ? 1 : 0;
          if ((code === 5) === (centre === 1)) {
            link(bottom, right);
            link(top, left);
          } else {
            link(bottom, left);
            link(top, right);
          }
          break;
        }
      }
    }
  }
  // Walk the links into chains; open ones are started from their ends first. A link is keyed by its
  // two edge ids in one number (ids are below 2 rows cols).
  const used = new Set<number>();
  const span = 2 * rows * cols + 2;
  const key = (a: number, b: number) => (a < b ? a * span + b : b * span + a);
  const lines: Point[][] = [];
  const walk = (from: number) => {
    const line = [point.get(from)!];
    let cur = from;
    for (;;) {
      const next = (links.get(cur) ?? []).find((n) => !used.has(key(cur, n)));
      if (next === undefined) break;
      used.add(key(cur, next));
      line.push(point.get(next)!);
      cur = next;
    }
    if (line.length > 1) lines.push(line);
  };
  for (const [id, ns] of links) if (ns.length === 1 && !used.has(key(id, ns[0]!))) walk(id);
  for (const [id, ns] of links) for (const n of ns) if (!used.has(key(id, n))) walk(id);
  return lines;
}

#!/usr/bin/env node
// `npm run gen`: writes main/dsp/radix16Pass.ts, the unrolled radix-16 Stockham passes that
// main/dsp/stockhamFft.ts runs. Written out by a program because 16-point butterflies by hand are
// ~900 lines where one wrong sign passes review; here each rule (the 4 x 4 split, the W16 twiddles,
// how a pass loads and stores) is stated once and every kernel is built from the same rules.
// `npm run gen:check` (also a step of `npm test`) fails when the file on disk differs from what this
// script would write, so the kernels cannot drift from their generator.
//
//   node scripts/gen-fft-kernels.mjs                  write the file
//   node scripts/gen-fft-kernels.mjs --check          compare only; exit 1 if it is out of date
//   node scripts/gen-fft-kernels.mjs --file <path>    another target (the tests check a temp copy)
//
// The output is already in the project's style (two-space indent, single quotes, LF), so nothing
// reformats it afterwards and a check compares bytes.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const TARGET = 'main/dsp/radix16Pass.ts';
const SELF = 'scripts/gen-fft-kernels.mjs';

// ---------------------------------------------------------------------------------------------
// The 16-point DFT as 4 x 4 (Cooley-Tukey with n = j + 4 n2, k = k1 + 4 k2, forward, w = e^-2pi i/16):
//   stage 1, for each column j: a[k1][j] = DFT4 over n2 of x[j + 4 n2]
//   twiddle:                    b[k1][j] = a[k1][j] * w^(j k1)
//   stage 2, for each row k1:   X[k1 + 4 k2] = DFT4 over j of b[k1][j]
// A complex value is a pair of expression strings { r, i }; stages return source lines.
// ---------------------------------------------------------------------------------------------

/** A complex variable `name` as the pair of its real and imaginary parts (nameR, nameI). */
const v = (name) => ({ r: `${name}r`, i: `${name}i` });

/**
 * 4-point DFT of e0..e3 (e[n2]), split like the loops read it: sums and differences first, named
 * `${u}0..3`, then the four outputs as parenthesised expressions, in k order (0, 1, 2, 3). Output 1
 * is u1 - i u3 and output 3 is u1 + i u3, written out so that -i costs no multiply.
 */
function dft4(u, e0, e1, e2, e3) {
  const [s0, d0, s1, d1] = [v(`${u}0`), v(`${u}1`), v(`${u}2`), v(`${u}3`)];
  const lines = [
    `const ${s0.r} = ${e0.r} + ${e2.r};`,
    `const ${s0.i} = ${e0.i} + ${e2.i};`,
    `const ${d0.r} = ${e0.r} - ${e2.r};`,
    `const ${d0.i} = ${e0.i} - ${e2.i};`,
    `const ${s1.r} = ${e1.r} + ${e3.r};`,
    `const ${s1.i} = ${e1.i} + ${e3.i};`,
    `const ${d1.r} = ${e1.r} - ${e3.r};`,
    `const ${d1.i} = ${e1.i} - ${e3.i};`,
  ];
  const outputs = [
    { r: `(${s0.r} + ${s1.r})`, i: `(${s0.i} + ${s1.i})` },
    { r: `(${d0.r} + ${d1.i})`, i: `(${d0.i} - ${d1.r})` },
    { r: `(${s0.r} - ${s1.r})`, i: `(${s0.i} - ${s1.i})` },
    { r: `(${d0.r} - ${d1.i})`, i: `(${d0.i} + ${d1.r})` },
  ];
  return { lines, outputs };
}

// w^k = cos(k pi/8) - i sin(k pi/8). Every cosine and sine of a multiple of pi/8 is 0, +-1, +-H
// (sqrt 1/2), +-C1 (cos pi/8) or +-S1 (sin pi/8): the kernels name those as module constants.
const H = Math.SQRT1_2;
const C1 = Math.cos(Math.PI / 8);
const S1 = Math.sin(Math.PI / 8);

/** A cosine or sine of a multiple of pi/8 as { sign, name } (name '' for 0, '1' for one). */
function constant(x) {
  const named = [
    ['', 0],
    ['1', 1],
    ['H', H],
    ['C1', C1],
    ['S1', S1],
  ];
  for (const [name, value] of named) {
    if (Math.abs(Math.abs(x) - value) < 1e-12) return { sign: x < 0 ? -1 : 1, name };
  }
  throw new Error(`${x} is not a cosine of a multiple of pi/8`);
}

/** A signed sum of terms [{ sign, text }] as source: `a - b`, `-a + b`. */
function sum(terms) {
  return terms.map((t, n) => (n === 0 ? (t.sign < 0 ? '-' : '') : t.sign < 0 ? ' - ' : ' + ') + t.text).join('');
}

/**
 * ar * c + ai * s, c and s named constants. With |c| = |s| (odd multiples of pi/4) the constant is
 * factored out, one multiply fewer per part: (ar + ai) * H, (ai - ar) * H, -(ar + ai) * H.
 */
function combine(ar, c, ai, s) {
  const terms = [
    { sign: c.sign, text: ar, k: c },
    { sign: s.sign, text: ai, k: s },
  ].filter((t) => t.k.name !== '');
  if (terms.length === 2 && c.name === s.name) {
    if (c.sign === s.sign) return `${c.sign < 0 ? '-' : ''}(${ar} + ${ai}) * ${c.name}`;
    const [plus, minus] = c.sign > 0 ? [ar, ai] : [ai, ar];
    return `(${plus} - ${minus}) * ${c.name}`;
  }
  return sum(terms.map((t) => ({ sign: t.sign, text: t.k.name === '1' ? t.text : `${t.text} * ${t.k.name}` })));
}

/**
 * a * w^k. Multiples of pi/2 (k = 0, 4, 8, 12) are only swaps and signs, so they are folded into
 * the expression that uses them instead of becoming a variable; the rest get `b${name}`.
 */
function twiddle(name, k) {
  const a = v(`a${name}`);
  const angle = (k * Math.PI) / 8;
  const c = constant(Math.cos(angle));
  const s = constant(Math.sin(angle));
  // (ar + i ai)(c - i s) = (ar c + ai s) + i (ai c - ar s)
  const re = combine(a.r, c, a.i, s);
  const im = combine(a.r, { ...s, sign: -s.sign }, a.i, c);
  if (k % 4 === 0) return { lines: [], value: { r: re, i: im } };
  const b = v(`b${name}`);
  return { lines: [`const ${b.r} = ${re};`, `const ${b.i} = ${im};`], value: b };
}

/**
 * One 16-point butterfly: `load(j)` gives the lines that define x{j}r and x{j}i, `store(k, X)` the
 * lines that consume output k (X as parenthesised expressions). Outputs come in stage-2 row order
 * (0, 4, 8, 12, 1, 5, ...), each as soon as it is known, to keep few values live at once.
 */
function butterfly16(load, store) {
  const lines = [];
  for (let j = 0; j < 16; j++) lines.push(...load(j));
  const rows = [[], [], [], []];
  for (let j = 0; j < 4; j++) {
    const x = (n2) => v(`x${j + 4 * n2}`);
    const stage1 = dft4(`u${j}`, x(0), x(1), x(2), x(3));
    lines.push(...stage1.lines);
    stage1.outputs.forEach((out, k1) => {
      const a = v(`a${k1}${j}`);
      lines.push(`const ${a.r} = ${out.r};`, `const ${a.i} = ${out.i};`);
      const t = twiddle(`${k1}${j}`, j * k1);
      lines.push(...t.lines);
      rows[k1][j] = t.value;
    });
  }
  for (let k1 = 0; k1 < 4; k1++) {
    const [b0, b1, b2, b3] = rows[k1];
    const stage2 = dft4(`v${k1}`, b0, b1, b2, b3);
    lines.push(...stage2.lines);
    stage2.outputs.forEach((out, k2) => lines.push(...store(k1 + 4 * k2, out)));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// How passes load and store. Element j of a butterfly sits j * ms2 doubles after `a`; output k
// goes k * s2 doubles after `o` (Stockham: the pass reorders as it writes).
// ---------------------------------------------------------------------------------------------

const at = (base, j, stride) => (j === 0 ? base : `${base} + ${j} * ${stride}`);

/** x{j} read as is. */
const loadPlain = (j) => {
  const x = v(`x${j}`);
  return [`const ${x.r} = x[${at('a', j, 'ms2')}]!;`, `const ${x.i} = x[${at('a', j, 'ms2')} + 1]!;`];
};

/** x{j} read from raw samples, less the mean, times the window gain g{j} (loaded beforehand). */
const loadWindowed = (j) => {
  const x = v(`x${j}`);
  return [
    `const ${x.r} = (x[${at('a', j, 'ms2')}]! - mr) * g${j};`,
    `const ${x.i} = (x[${at('a', j, 'ms2')} + 1]! - mi) * g${j};`,
  ];
};

/** Output k times the pass's twiddle w^k (w^0 = 1 needs none). */
const storeTwiddled = (k, out) => {
  if (k === 0) return [`y[o] = ${out.r};`, `y[o + 1] = ${out.i};`];
  const z = v(`z${k}`);
  const w = v(`w${k}`);
  return [
    `const ${z.r} = ${out.r};`,
    `const ${z.i} = ${out.i};`,
    `y[o + ${k} * s2] = ${z.r} * ${w.r} - ${z.i} * ${w.i};`,
    `y[o + ${k} * s2 + 1] = ${z.r} * ${w.i} + ${z.i} * ${w.r};`,
  ];
};

/** Output k as it is (the last pass, where every twiddle is 1). */
const storePlain = (k, out) => [`y[${at('o', k, 's2')}] = ${out.r};`, `y[${at('o', k, 's2')} + 1] = ${out.i};`];

/** |output k|^2 added into bin q + k s of acc. */
const storePower = (k, out) => {
  const p = v(`p${k}`);
  const bin = at('q', k, 's');
  return [`const ${p.r} = ${out.r};`, `const ${p.i} = ${out.i};`, `acc[${bin}] = acc[${bin}]! + ${p.r} * ${p.r} + ${p.i} * ${p.i};`];
};

/** w^1..w^15 of group p, read once per p from the pass's table (30 doubles per p). */
function twiddleLoads() {
  const lines = [];
  for (let k = 1; k < 16; k++) {
    const w = v(`w${k}`);
    lines.push(`const ${w.r} = tw[t + ${2 * (k - 1)}]!;`, `const ${w.i} = tw[t + ${2 * (k - 1) + 1}]!;`);
  }
  return lines;
}

/** Window gains of the 16 samples of group p. */
function windowLoads() {
  const lines = [];
  for (let j = 0; j < 16; j++) lines.push(`const g${j} = w[p + ${j} * m]!;`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The file.
// ---------------------------------------------------------------------------------------------

const BANNER = `// Generated by ${SELF}: do not edit. Run \`npm run gen\` to regenerate.`;

const HEADER = [
  '/**',
  ' * Radix-16 Stockham passes, written out in full: a 16-point DFT as 4 x 4 (four 4-point DFTs, the',
  ' * W16 twiddles between them as constants, four more 4-point DFTs). Fewer passes over the data than',
  ' * radix 4 is what makes the FFT faster in JavaScript, where loads and stores cost as much as the maths.',
  ' */',
  'const C1 = Math.cos(Math.PI / 8);',
  'const S1 = Math.sin(Math.PI / 8);',
  'const H = Math.SQRT1_2;',
  '',
  'type Samples = Float32Array | Float64Array | Int16Array;',
];

/** A block of lines with an opening line, indented one level, and `}`. */
const block = (open, body) => [open, ...body.map((l) => (l === '' ? l : `  ${l}`)), '}'];

const kernels = [
  [
    '/** A radix-16 pass: m groups of 16 sub-sequences, each `s` complex values long; tw holds w^1..w^15 per p. */',
    ...block('export function radix16(x: Float64Array, y: Float64Array, m: number, s: number, tw: Float64Array): void {', [
      'const s2 = 2 * s;',
      'const ms2 = m * s2;',
      ...block('for (let p = 0; p < m; p++) {', [
        'const t = 30 * p;',
        'const a0 = p * s2;',
        'const y0 = 16 * a0;',
        ...twiddleLoads(),
        ...block('for (let q = 0; q < s2; q += 2) {', ['const a = a0 + q;', 'const o = y0 + q;', ...butterfly16(loadPlain, storeTwiddled)]),
      ]),
    ]),
  ],
  [
    '/** The last radix-16 pass (m = 1): no outer twiddles. */',
    ...block('export function radix16Last(x: Float64Array, y: Float64Array, s: number): void {', [
      'const s2 = 2 * s;',
      'const ms2 = s2;',
      ...block('for (let q = 0; q < s2; q += 2) {', ['const a = q;', 'const o = q;', ...butterfly16(loadPlain, storePlain)]),
    ]),
  ],
  [
    '/**',
    ' * The first radix-16 pass (stride 1) reading raw samples from complex index `base / 2`, removing the',
    ' * mean and applying the window as it loads them.',
    ' */',
    ...block(
      'export function radix16FirstWindowed(x: Samples, base: number, w: Float64Array, mr: number, mi: number, y: Float64Array, m: number, tw: Float64Array): void {',
      [
        'const ms2 = 2 * m;',
        'const s2 = 2;',
        ...block('for (let p = 0; p < m; p++) {', [
          'const t = 30 * p;',
          'const a = base + 2 * p;',
          'const o = 32 * p;',
          ...twiddleLoads(),
          ...windowLoads(),
          ...butterfly16(loadWindowed, storeTwiddled),
        ]),
      ],
    ),
  ],
  [
    '/** The last radix-16 pass adding |X|^2 into acc (natural order) instead of storing X: Welch needs only power. */',
    ...block('export function radix16LastPower(x: Float64Array, acc: Float64Array, s: number): void {', [
      'const s2 = 2 * s;',
      'const ms2 = s2;',
      ...block('for (let q = 0; q < s; q++) {', ['const a = 2 * q;', ...butterfly16(loadPlain, storePower)]),
    ]),
  ],
];

function generate() {
  const lines = [BANNER, ...HEADER];
  for (const kernel of kernels) lines.push('', ...kernel);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

function main(argv) {
  let check = false;
  let file = path.join(root, TARGET);
  for (let n = 0; n < argv.length; n++) {
    if (argv[n] === '--check') check = true;
    else if (argv[n] === '--file' && argv[n + 1] !== undefined) file = path.resolve(argv[++n]);
    else {
      console.error(`usage: node ${SELF} [--check] [--file <path>]`);
      return 2;
    }
  }
  const shown = path.relative(root, file).startsWith('..') ? file : path.relative(root, file).split(path.sep).join('/');
  const text = generate();
  if (check) {
    const onDisk = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (onDisk === text) {
      console.log(`${shown} is current with ${SELF}`);
      return 0;
    }
    console.error(`${shown} is out of date with ${SELF}: run npm run gen`);
    return 1;
  }
  fs.writeFileSync(file, text);
  console.log(`wrote ${shown}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

/**
 * Pseudo-random phase modulation for simulated transmitters, like DCF77's: the carrier's phase
 * swings by +-deviation, one seeded random sign per chip, with raised-cosine transitions between
 * chips. The envelope stays constant, so keying, levels and what a listener hears are as before (a
 * faint hiss below the tone), yet the signal never repeats: cross-correlating two receivers gives a
 * single sharp peak at their delay difference, which a bare or tone-modulated carrier cannot give.
 *
 * The chip sequence is a function of absolute time (a whole Unix second and a fraction of it), so
 * every receiver hears the same waveform, only later by its own path delay, and a fractional-sample
 * delay is exact.
 */
import { z } from 'zod';

export const spreadSchema = z.object({
  /** Chips per second; the modulation occupies about +-this around the carrier. */
  chipRateHz: z.number().positive().max(100_000),
  /** Phase swing each way (DCF77: 15.6 deg). Small keeps the carrier (cos^2) nearly whole. */
  deviationDeg: z.number().gt(0).max(90).default(15),
  seed: z.number().int().nonnegative().default(1),
  /** Share of a chip each transition takes: smooth edges keep the spectrum narrow, so IQ at a few kHz samples it without aliasing. */
  transition: z.number().gt(0).max(1).default(0.5),
});
export type Spread = z.infer<typeof spreadSchema>;

/** An integer hash with full avalanche (Chris Wellons' lowbias32). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

const TWO_32 = 4_294_967_296;

/** The sign (+-1) of chip `k` (an integer that may exceed 2^32: chips since 1970). */
export function chipSign(seed: number, k: number): 1 | -1 {
  const lo = k % TWO_32;
  const hi = Math.floor(k / TWO_32);
  return mix32(mix32(mix32(seed) ^ hi) ^ lo) & 1 ? 1 : -1;
}

const raisedCosine = (a: number, b: number, x: number) => a + (b - a) * 0.5 * (1 - Math.cos(Math.PI * x));

/**
 * The modulating waveform (-1..1) at transmitter time `unixSec + fracSec` (unixSec a whole second,
 * 0 <= fracSec < 1 kept apart so chip positions stay exact to far below a nanosecond).
 */
export function spreadWaveform(s: Spread, unixSec: number, fracSec: number): number {
  // unixSec * rate is about 1e12 chips: keep its integer part and its fraction apart.
  const whole = unixSec * s.chipRateHz;
  const base = Math.floor(whole);
  const pos = whole - base + fracSec * s.chipRateHz;
  const inChip = Math.floor(pos);
  const k = base + inChip;
  const u = pos - inChip;
  const half = s.transition / 2;
  const c = chipSign(s.seed, k);
  if (u < half) return raisedCosine(chipSign(s.seed, k - 1), c, (u + half) / s.transition);
  if (u > 1 - half) return raisedCosine(c, chipSign(s.seed, k + 1), (u - 1 + half) / s.transition);
  return c;
}

/** The phase (rad) the spread adds at a transmitter time, split as for spreadWaveform. */
export function spreadPhase(s: Spread, unixSec: number, fracSec: number): number {
  return ((s.deviationDeg * Math.PI) / 180) * spreadWaveform(s, unixSec, fracSec);
}

/**
 * The player's jitter buffer and resampler (renderer/src/ui/audio/jitterBuffer.ts, the code the
 * AudioWorklet runs), driven the way the page drives it: receiver chunks arriving every ~43 ms and
 * the device pulling 128-sample quanta at 48 kHz.
 */
import { describe, expect, it } from 'vitest';
import { JitterBuffer } from '../../../../../renderer/src/ui/audio/jitterBuffer';
import { analyseTone } from '../../../../helpers/toneAnalysis';

const SRC = 12001.135;
const OUT = 48000;
const QUANTUM = 128;

/** Runs `seconds` of device time; the receiver delivers 512-sample chunks of a 1 kHz tone at `rxRate` real samples/s. */
function run(b: JitterBuffer, seconds: number, rxRate = SRC, stopAfter = Infinity) {
  const out: number[] = [];
  const fills: number[] = [];
  let sent = 0;
  let phase = 0;
  for (let q = 0; q < (seconds * OUT) / QUANTUM; q++) {
    const t = (q * QUANTUM) / OUT;
    while (t < stopAfter && (sent + 512) / rxRate <= t) {
      const chunk = new Float32Array(512);
      for (let i = 0; i < 512; i++) {
        chunk[i] = 0.5 * Math.sin(phase);
        phase += (2 * Math.PI * 1000) / SRC;
      }
      b.push(chunk, 1_700_000_000_000 + (sent / SRC) * 1000, null);
      sent += 512;
    }
    const block = new Float32Array(QUANTUM);
    b.render(block);
    out.push(...block);
    fills.push(b.fillMs());
  }
  return { out: Float32Array.from(out), fills };
}

describe('JitterBuffer', () => {
  it('plays a 12001.135 Hz receiver at 48 kHz: the tone keeps its pitch, the buffer holds its target', () => {
    const b = new JitterBuffer(SRC, OUT, 120, 400);
    const { out, fills } = run(b, 8);
    const r = analyseTone(out, OUT, { skip: OUT * 2 });
    expect(Math.abs(r.freqHz - 1000)).toBeLessThan(0.5);
    expect(r.snrDb).toBeGreaterThan(40); // the cubic resampler's images stay far down
    const late = fills.slice(fills.length / 2);
    expect(Math.min(...late)).toBeGreaterThan(60);
    expect(Math.max(...late)).toBeLessThan(200);
    expect(b.stats().underruns).toBe(0);
    expect(b.stats().droppedSamples).toBe(0);
  });

  for (const [what, factor] of [['fast', 1.003], ['slow', 0.997]] as const) {
    it(`absorbs a receiver clock 0.3 % ${what} without gaps, drops or growing latency`, () => {
      const b = new JitterBuffer(SRC, OUT, 120, 400);
      const { fills } = run(b, 60, SRC * factor);
      const late = fills.slice(fills.length * 0.75);
      expect(Math.max(...late)).toBeLessThan(220);
      expect(Math.min(...late)).toBeGreaterThan(40);
      expect(b.stats().droppedSamples).toBe(0);
      expect(b.stats().underruns).toBe(0);
    });
  }

  it('fades out when the receiver stops instead of stopping on a click, then waits for the target again', () => {
    const b = new JitterBuffer(SRC, OUT, 120, 400);
    const { out } = run(b, 3, SRC, 2);
    let last = out.length - 1;
    while (last > 0 && out[last] === 0) last--;
    expect(last).toBeGreaterThan(OUT * 2);
    // The last 2 ms before silence are the tail of a fade: well below the tone's 0.5 amplitude.
    let tail = 0;
    for (let i = last - OUT * 0.002; i <= last; i++) tail = Math.max(tail, Math.abs(out[i]!));
    expect(tail).toBeLessThan(0.2);
    expect(b.stats().underruns).toBe(1);
    expect(b.stats().playing).toBe(false);
  });

  it('skips to the target when a burst piles up more than the maximum (the page was busy)', () => {
    const b = new JitterBuffer(SRC, OUT, 120, 400);
    const second = new Float32Array(Math.round(SRC));
    for (let i = 0; i < second.length; i++) second[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / SRC);
    b.push(second, 0, 0);
    const block = new Float32Array(QUANTUM);
    for (let q = 0; q < 20; q++) b.render(block.fill(0));
    expect(b.fillMs()).toBeLessThan(130);
    expect(b.stats().droppedSamples).toBeGreaterThan(SRC * 0.8);
  });

  it('reports the receiver time at the read head as it plays', () => {
    const b = new JitterBuffer(SRC, OUT, 120, 400);
    run(b, 2);
    const s = b.stats();
    // After 2 s the head is about 2 s minus the buffer into the stream.
    expect(s.headT0Ms! - 1_700_000_000_000).toBeGreaterThan(2000 - 200);
    expect(s.headT0Ms! - 1_700_000_000_000).toBeLessThan(2000 - 60);
  });
});

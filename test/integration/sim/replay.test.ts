/**
 * The simulator's replay mode (for load tests): two KiwiSDRs replaying one second synthesized once
 * stream through the real client with their own consecutive sequence numbers and GPS time advancing
 * by 512 samples a frame, the IQ repeating every loop (identical bytes for both receivers), and W/F
 * rows with their own sequence numbers.
 */
import { describe, expect, it } from 'vitest';
import { KiwiSdrChannel, type KiwiSamples, type KiwiWfRow } from '../../../main/receivers/kiwisdr/client';
import { sceneSchema } from '../../../main/sim/scene';
import { useSimulation } from '../../helpers/simulation';

const RATE = 12001.135;
const scene = sceneSchema.parse({
  name: 'replay',
  transmitters: [{ id: 'tx', name: 'beacon', freqHz: 7_100_500, lat: 45.07, lon: 7.69, powerDbm: 10, modulation: 'cw', schedule: { periodSec: 1, onSec: 0.5 } }],
  receivers: [
    { id: 'a', name: 'A', kind: 'kiwisdr', lat: 45.1, lon: 7.75 },
    { id: 'b', name: 'B', kind: 'kiwisdr', lat: 44.4, lon: 8.95 },
  ],
});
const sim = useSimulation(scene, { replaySec: 1, kiwi: { sampleRate: RATE } });
const bytesOf = (b: KiwiSamples) => Buffer.from(b.samples.buffer, b.samples.byteOffset, b.samples.byteLength);

function listen(url: string, ms: number) {
  const ch = new KiwiSdrChannel({ url, freqHz: 7_100_000, mode: 'iq', identUser: 'heimdall-station TEST', waterfall: { zoom: 10, speed: 4, compressed: false } });
  const blocks: KiwiSamples[] = [];
  const rows: KiwiWfRow[] = [];
  ch.on('samples', (b) => blocks.push(b));
  ch.on('wf', (r) => rows.push(r));
  const closed = new Promise((r) => ch.on('closed', r));
  ch.open();
  setTimeout(() => ch.close(), ms);
  return closed.then(() => ({ blocks, rows }));
}

describe('simulator replay mode', () => {
  it('replays one synthesized second to every receiver with its own sequence and GPS stamps', async () => {
    const [a, b] = await Promise.all(sim().receivers.map((r) => listen(r.url, 3000)));
    const loop = Math.round(RATE / 512);
    for (const x of [a!, b!]) {
      expect(x.blocks.length).toBeGreaterThan(2 * loop);
      for (let i = 2; i < x.blocks.length; i++) {
        expect(x.blocks[i]!.seq).toBe(x.blocks[i - 1]!.seq + 1);
        expect(Math.abs(Number(x.blocks[i]!.unixNs! - x.blocks[i - 1]!.unixNs!) / 1e9 - 512 / RATE)).toBeLessThan(1e-6);
      }
      // The IQ repeats after one loop.
      expect(bytesOf(x.blocks[loop + 3]!).equals(bytesOf(x.blocks[3]!))).toBe(true);
      expect(bytesOf(x.blocks[4]!).equals(bytesOf(x.blocks[3]!))).toBe(false);
      expect(x.rows.length).toBeGreaterThan(20);
      for (let i = 1; i < x.rows.length; i++) expect(x.rows[i]!.seq).toBe(x.rows[i - 1]!.seq + 1);
    }
    // Synthesized once: both receivers send the same bytes for the same frame of the loop.
    expect(bytesOf(a!.blocks[3]!).equals(bytesOf(b!.blocks[3]!))).toBe(true);
  });
});

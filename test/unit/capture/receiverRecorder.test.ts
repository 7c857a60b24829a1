import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type SampleBlock } from '../../../main/capture/links/receiverLink';
import { ReceiverRecorder } from '../../../main/capture/receiverRecorder';
import { unixNsToGps } from '../../../main/recordings/gpsTime';
import { SigmfRecordingWriter } from '../../../main/recordings/sigmf/writer';
import { tempDir } from '../../helpers/tempDir';

const RATE = 12001.135;
const FRAME = 512;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** IQ frames as a KiwiSDR sends them: 512 complex samples, GPS time of the first (a fresh fix every 24 frames), seq +1. */
function frames(startNs: bigint, count: number, firstSeq = 0, rate = RATE): SampleBlock[] {
  return Array.from({ length: count }, (_, k) => {
    const samples = new Int16Array(FRAME * 2);
    for (let i = 0; i < FRAME; i++) {
      samples[2 * i] = (k * FRAME + i) % 30000; // I counts samples, so the file shows what was kept
      samples[2 * i + 1] = -1;
    }
    const ns = startNs + BigInt(Math.round(((k * FRAME) / rate) * 1e9));
    return { kind: 'iq', samples, sampleRate: RATE, firstSampleUnixNs: ns, hostTimeMs: Number(ns / 1_000_000n) + 50, seq: firstSeq + k, gps: { fixAgeSec: (k % 24) === 5 ? 0 : 1 + Math.floor((k % 24) / 12), ...unixNsToGps(ns) } };
  });
}

function recorder(startAtNs: bigint, durationSec: number | null) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  let writer: SigmfRecordingWriter | null = null;
  const rec = new ReceiverRecorder({
    startAtNs,
    durationSec,
    openWriter: (rate) =>
      (writer = new SigmfRecordingWriter({ dir: t.dir, baseName: 'rx1', datatype: 'ci16_le', sampleRate: rate, freqHz: 7_100_000, description: 'test', heimdall: { receiver_id: 'rx1' } })),
  });
  return { rec, dir: t.dir, writer: () => writer };
}

const T0 = 1_795_000_000_000_000_000n;

describe('ReceiverRecorder', () => {
  it('trims to the common start time and stops at exactly duration x rate samples', () => {
    const { rec, dir } = recorder(T0 + 100_000_000n, 2); // start 100 ms into the stream
    let done = false;
    for (const b of frames(T0, 200)) if ((done = rec.accept(b))) break;
    expect(done).toBe(true);
    const out = rec.finish()!;
    expect(out.samples).toBe(Math.round(2 * RATE));
    expect(fs.statSync(out.dataFile).size).toBe(out.samples * 4);
    // The first kept sample is the first one at or after the start instant.
    const skip = Math.ceil(0.1 * RATE);
    const data = new Int16Array(fs.readFileSync(out.dataFile).buffer.slice(0, 8));
    expect(data[0]).toBe(skip);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'rx1.sigmf-meta'), 'utf8'));
    expect(meta.global['core:datatype']).toBe('ci16_le');
    expect(meta.global['core:sample_rate']).toBeCloseTo(RATE, 3); // measured between the GPS anchors
    expect(meta.global['heimdall:complete']).toBe(true);
    expect(meta.global['core:sha512']).toMatch(/^[0-9a-f]{128}$/);
    // One stream segment; the other captures mark the GPS anchors (a fresh fix each second here).
    expect(meta.captures.filter((c: Record<string, unknown>) => c['heimdall:reason'] !== 'gps-anchor')).toHaveLength(1);
    expect(meta.captures.length).toBeGreaterThan(1);
    expect(meta.global['heimdall:gps_stamps'].gpsnsec.length).toBeGreaterThan(40);
    const startNs = BigInt(meta.captures[0]['heimdall:gps_unix_ns']);
    expect(Math.abs(Number(startNs - (T0 + 100_000_000n)))).toBeLessThan(1e9 / RATE);
    expect(meta.captures[0]['core:datetime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it('counts lost frames and opens a new capture segment at the gap', () => {
    const { rec, dir } = recorder(T0, null);
    const all = frames(T0, 30);
    for (const b of [...all.slice(0, 10), ...all.slice(13)]) rec.accept(b); // frames 10..12 lost
    rec.finish();
    expect(rec.progress()).toMatchObject({ framesLost: 3, segments: 2, samples: 27 * FRAME });
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'rx1.sigmf-meta'), 'utf8'));
    expect(meta.captures.filter((c: { 'heimdall:reason': string }) => c['heimdall:reason'] !== 'gps-anchor').map((c: { 'core:sample_start': number; 'heimdall:reason': string }) => [c['core:sample_start'], c['heimdall:reason']])).toEqual([
      [0, 'start'],
      [10 * FRAME, 'gap'],
    ]);
  });

  it('starts a segment after a reconnect and on a GPS time jump even when seq continues', () => {
    const { rec } = recorder(T0, null);
    const a = frames(T0, 5);
    const b = frames(T0 + 10_000_000_000n, 5, 5); // seq continues, time jumps 10 s
    for (const x of [...a, ...b]) rec.accept(x);
    rec.markDiscontinuity('reconnect');
    for (const x of frames(T0 + 20_000_000_000n, 3, 0)) rec.accept(x);
    expect(rec.progress()).toMatchObject({ segments: 3, framesLost: 0 });
  });

  it('writes a valid meta at every segment start, so a crash keeps what came before', () => {
    const { rec, dir } = recorder(T0, null);
    for (const b of frames(T0, 4)) rec.accept(b);
    // No finish(): as after kill -9.
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'rx1.sigmf-meta'), 'utf8'));
    expect(meta.global['heimdall:complete']).toBe(false);
    expect(meta.captures).toHaveLength(1);
  });

  it('measures the real rate against the GPS clock to catch a receiver that lies about it', () => {
    const { rec } = recorder(T0, null);
    // Announces 12001.135 but time stamps advance as if the rate were 12500.
    for (const b of frames(T0, 150, 0, 12500)) rec.accept(b);
    const tb = rec.finish()!.timeBase;
    expect(tb.rateHz).toBeCloseTo(12500, 1);
    expect(tb.summary.reasons.join(' ')).toMatch(/mislabelled/);
  });

  it('keeps every block\'s GPS stamp as received at its sample index, those of the lead-in before the start too', () => {
    const { rec } = recorder(T0 + 100_000_000n, null);
    const all = frames(T0, 30);
    for (const b of all) rec.accept(b);
    const out = rec.finish()!;
    // The block holding the common start is kept (trimmed), with its stamp at a negative index; the
    // two blocks before it are not recorded, but their stamps are (a fresh fix there times the start).
    const skip = Math.ceil(0.1 * RATE) - 2 * FRAME;
    expect(out.stamps.slice(0, 3)).toEqual([0, 1, 2].map((k) => ({ sampleIndex: -skip - (2 - k) * FRAME, seq: k, ...all[k]!.gps })));
    expect(out.stamps.at(-1)).toEqual({ sampleIndex: 27 * FRAME - skip, seq: 29, ...all[29]!.gps });
  });
});

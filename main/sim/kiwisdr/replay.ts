/**
 * Replay mode for load tests: the first stream tuned to a frequency synthesizes a few seconds of IQ
 * payloads and W/F rows once; every receiver then sends those same bytes in a loop, with its own
 * sequence numbers and GPS stamps. The simulator stays far below the station's cost, so a benchmark
 * measures the station, not the simulator. (The signal repeats every loop; physics per receiver is off.)
 */
import { pcmToWire } from '../../receivers/kiwisdr/sndFrame';
import { encodeWfFrame, WF_BINS } from '../../receivers/kiwisdr/wfFrame';
import { passbandPowerDbm, synthesizeIq, synthesizeSpectrum, type Scene, type SceneReceiver } from '../scene';

export interface ReplayCache {
  /** IQ payload (wire bytes) and S-meter of frame k of a stream tuned to centerHz. */
  iq(centerHz: number, rate: number, k: number): { payload: Uint8Array; smeterDbm: number };
  /** W/F frame k (seq patched in) for a zoom and span start. */
  wf(key: { zoom: number; startHz: number; spanHz: number; xBin: number }, k: number, seq: number): Uint8Array;
}

export function createReplayCache(scene: Scene, seconds: number, wfCal: number): ReplayCache {
  const iqFrames = new Map<string, { payload: Uint8Array; smeterDbm: number }[]>();
  const wfFrames = new Map<string, Uint8Array[]>();
  // One receiver's view of the scene stands for all of them.
  const rx: SceneReceiver = scene.receivers[0]!;
  const t0 = Date.now();
  return {
    iq(centerHz, rate, k) {
      const key = `${centerHz}:${rate}`;
      let frames = iqFrames.get(key);
      if (!frames) {
        frames = [];
        const n = Math.max(1, Math.round((seconds * rate) / 512));
        for (let f = 0; f < n; f++) {
          const ns = BigInt(t0) * 1_000_000n + BigInt(Math.round(((f * 512) / rate) * 1e9));
          const bb = synthesizeIq(scene, rx, centerHz, rate, ns, 512);
          const s = new Int16Array(1024);
          for (let i = 0; i < s.length; i++) s[i] = Math.max(-32768, Math.min(32767, Math.round(bb[i]! * 32767)));
          frames.push({ payload: pcmToWire(s), smeterDbm: passbandPowerDbm(scene, rx, centerHz, 2400, Number(ns / 1_000_000n)) });
        }
        iqFrames.set(key, frames);
      }
      return frames[k % frames.length]!;
    },
    wf(w, k, seq) {
      const key = `${w.zoom}:${w.startHz}`;
      let frames = wfFrames.get(key);
      if (!frames) {
        frames = [];
        for (let f = 0; f < Math.max(1, Math.round(seconds * 23)); f++) {
          const dbm = synthesizeSpectrum(scene, rx, w.startHz, w.spanHz, WF_BINS, t0 + Math.round((f * 1000) / 23), f);
          const bytes = new Uint8Array(WF_BINS);
          for (let i = 0; i < WF_BINS; i++) bytes[i] = Math.max(0, Math.min(255, Math.round(dbm[i]! + 255 - wfCal)));
          frames.push(encodeWfFrame({ xBin: w.xBin, zoom: w.zoom, seq: 0, bytes, compressed: false, encode: () => new Uint8Array(0) }));
        }
        wfFrames.set(key, frames);
      }
      const out = Uint8Array.from(frames[k % frames.length]!);
      new DataView(out.buffer).setUint32(12, seq >>> 0, true);
      return out;
    },
  };
}

/**
 * A simulated world: transmitters with positions, powers and key-up schedules, and receivers with
 * positions, noise floors and GPS clock errors. Each receiver hears each transmitter with free-space
 * path loss over the 3-D distance and a propagation delay of distance / c, so time stamps and levels
 * are physically consistent across receivers.
 */
import { z } from 'zod';
import { distance3d, SPEED_OF_LIGHT } from './geo';
import { keyingRamp, morseEnvelope, morseTiming } from './morse';
import { gaussian, hashSeed, mulberry32 } from './prng';
import { spreadPhase, spreadSchema } from './spread';

export const sceneFaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('busy') }),
  z.object({ kind: z.literal('redirect'), to: z.string() }),
  z.object({ kind: z.literal('bad_password') }),
  z.object({ kind: z.literal('ip_limit') }),
  z.object({ kind: z.literal('drop_after'), seconds: z.number().positive() }),
  z.object({ kind: z.literal('malformed'), everyNFrames: z.number().int().positive() }),
  z.object({ kind: z.literal('stall_after'), seconds: z.number().positive() }),
  z.object({ kind: z.literal('wrong_rate'), rateHz: z.number().positive() }),
  z.object({ kind: z.literal('not_ready'), badp: z.union([z.literal(2), z.literal(6)]) }),
  z.object({ kind: z.literal('disabled'), reason: z.string() }),
  z.object({ kind: z.literal('inactivity_timeout'), minutes: z.number().positive(), afterSeconds: z.number().nonnegative() }),
  z.object({ kind: z.literal('kick'), reason: z.enum(['kiwi_kick', 'password_timeout', 'exclusive_use']), afterSeconds: z.number().nonnegative() }),
  /** Answers the WebSocket upgrade with HTTP 307 to `to` (a receiver base URL). */
  z.object({ kind: z.literal('http_redirect'), to: z.string() }),
]);
export type SceneFault = z.infer<typeof sceneFaultSchema>;

export const sceneTransmitterSchema = z.object({
  id: z.string(),
  name: z.string(),
  freqHz: z.number().positive(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  altM: z.number().default(0),
  powerDbm: z.number(),
  modulation: z.enum(['cw', 'nfm', 'am', 'usb']),
  /** Keyed while ((t - offsetSec) mod periodSec) < onSec, t in Unix seconds. */
  schedule: z.object({ periodSec: z.number().positive(), onSec: z.number().nonnegative(), offsetSec: z.number().default(0) }),
  deviationHz: z.number().positive().default(2500),
  toneHz: z.number().positive().default(1000),
  /** CW: the text keyed at the start of every key-up (then carrier until it ends), as beacons send their identifier. */
  morse: z.object({ text: z.string().trim().min(1).max(200), wpm: z.number().min(5).max(60).default(25) }).optional(),
  /**
   * A pseudo-random phase modulation on top of the modulation above (DCF77-like, see spread.ts): what
   * gives a TDoA fix its lags, since a bare carrier has none and a tone is periodic.
   */
  spread: spreadSchema.optional(),
});
export type SceneTransmitter = z.infer<typeof sceneTransmitterSchema>;

export const sceneReceiverSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['kiwisdr', 'openwebrx']),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  altM: z.number().default(0),
  noiseFloorDbmHz: z.number().default(-160),
  clockOffsetNs: z.number().default(0),
  port: z.number().int().min(0).max(65535).optional(),
  faults: z.array(sceneFaultSchema).default([]),
  /** OpenWebRX: centre and width of the SDR band. */
  centerFreqHz: z.number().positive().optional(),
  sampleRateHz: z.number().positive().optional(),
  password: z.string().optional(),
  /**
   * The receiver's GPS as real KiwiSDRs show it in their IQ stamps: a fresh fix every fixEverySec (the
   * fix age counts up between, and drops), the first packet's stamp minutes stale, optionally one fresh
   * fix off by badFixNs (at the first fix after badFixAfterSec of streaming), or no GPS clock at all (255).
   */
  gps: z
    .object({
      // At least 2 s: the fix age is in whole seconds, so it can only be seen to drop between fixes that far apart.
      fixEverySec: z.number().min(2).default(5),
      staleFirstSec: z.number().nonnegative().default(240),
      badFixAfterSec: z.number().nonnegative().optional(),
      badFixNs: z.number().default(0),
      noClock: z.boolean().default(false),
    })
    .default({ fixEverySec: 5, staleFirstSec: 240, badFixNs: 0, noClock: false }),
});
export type SceneReceiver = z.infer<typeof sceneReceiverSchema>;

export const sceneSchema = z.object({
  name: z.string(),
  transmitters: z.array(sceneTransmitterSchema),
  receivers: z.array(sceneReceiverSchema),
});
export type Scene = z.infer<typeof sceneSchema>;

export function propagation(r: SceneReceiver, x: SceneTransmitter): { distanceM: number; delaySec: number; pathLossDb: number; rxPowerDbm: number } {
  const distanceM = Math.max(1, distance3d({ lat: r.lat, lon: r.lon, altM: r.altM }, { lat: x.lat, lon: x.lon, altM: x.altM }));
  const lambda = SPEED_OF_LIGHT / x.freqHz;
  const pathLossDb = 20 * Math.log10((4 * Math.PI * distanceM) / lambda);
  return { distanceM, delaySec: distanceM / SPEED_OF_LIGHT, pathLossDb, rxPowerDbm: x.powerDbm - pathLossDb };
}

/**
 * Seconds into the schedule's period at `unixSec + fracSec`. Give a whole second (an epoch) and the
 * rest apart: one float64 of Unix seconds resolves only 0.24 us, while a delay must come out exact.
 */
function schedulePhase(x: SceneTransmitter, unixSec: number, fracSec: number): number {
  const { periodSec, offsetSec } = x.schedule;
  const phase = ((unixSec - offsetSec) % periodSec) + fracSec;
  return ((phase % periodSec) + periodSec) % periodSec;
}

export function isKeyed(x: SceneTransmitter, unixSec: number, fracSec = 0): boolean {
  return schedulePhase(x, unixSec, fracSec) < x.schedule.onSec;
}

/**
 * The carrier's envelope (0..1) at transmitter time `unixSec + fracSec`: off outside the schedule's
 * key-ups; inside, 1, or the Morse keying of a beacon that sends an identifier. Key-up and key-down
 * are shaped like the Morse marks (see keyingRamp), unless the transmitter is always on.
 */
export function carrierEnvelope(x: SceneTransmitter, unixSec: number, fracSec = 0): number {
  const { periodSec, onSec } = x.schedule;
  const since = schedulePhase(x, unixSec, fracSec);
  if (since >= onSec) return 0;
  const body = x.morse ? morseEnvelope(morseTiming(x.morse.text, x.morse.wpm), since) : onSec >= periodSec ? 1 : keyingRamp(since);
  return onSec >= periodSec ? body : body * keyingRamp(onSec - since);
}

/** Full scale of the simulated receivers' int16 IQ: 0 dBFS = this many dBm (fixed gain, no AGC). */
export const IQ_FULL_SCALE_DBM = -50;

/**
 * Complex baseband as receiver `r` sees it, tuned to `centerHz`, `n` samples from the true Unix
 * time `t0Ns` (ns) at `sampleRate`: noise at the receiver's floor plus every transmitter in band,
 * keyed per sample at (t - propagation delay). Returns interleaved I,Q in units of full scale.
 */
export function synthesizeIq(scene: Scene, r: SceneReceiver, centerHz: number, sampleRate: number, t0Ns: bigint, n: number, out = new Float32Array(n * 2)): Float32Array {
  const rand = gaussian(mulberry32(hashSeed(`${r.id}:${t0Ns}`)));
  const noiseDbm = r.noiseFloorDbmHz + 10 * Math.log10(sampleRate);
  const noiseRms = 10 ** ((noiseDbm - IQ_FULL_SCALE_DBM) / 20) / Math.SQRT2;
  for (let i = 0; i < n * 2; i++) out[i] = rand() * noiseRms;
  // Seconds since a recent epoch keep phases precise in float64.
  const epochNs = (t0Ns / 3_600_000_000_000n) * 3_600_000_000_000n;
  const t0 = Number(t0Ns - epochNs) / 1e9;
  const epochS = Number(epochNs / 1_000_000n) / 1000;
  for (const x of scene.transmitters) {
    const df = x.freqHz - centerHz;
    if (Math.abs(df) > sampleRate / 2) continue;
    const p = propagation(r, x);
    const amp = 10 ** ((p.rxPowerDbm - IQ_FULL_SCALE_DBM) / 20);
    for (let k = 0; k < n; k++) {
      // Transmitter time, as epochS + tt.
      const tt = t0 + k / sampleRate - p.delaySec;
      const env = carrierEnvelope(x, epochS, tt);
      if (env === 0) continue;
      let phase = 2 * Math.PI * df * tt;
      let a = amp * env;
      if (x.modulation === 'nfm') phase += (x.deviationHz / x.toneHz) * Math.sin(2 * Math.PI * x.toneHz * tt);
      else if (x.modulation === 'am') a *= 0.5 * (1 + 0.8 * Math.sin(2 * Math.PI * x.toneHz * tt));
      else if (x.modulation === 'usb') phase += 2 * Math.PI * x.toneHz * tt;
      if (x.spread) {
        const whole = Math.floor(tt);
        phase += spreadPhase(x.spread, epochS + whole, tt - whole);
      }
      out[2 * k] = out[2 * k]! + a * Math.cos(phase);
      out[2 * k + 1] = out[2 * k + 1]! + a * Math.sin(phase);
    }
  }
  return out;
}

/**
 * Power spectrum rows (dBm per bin) over [startHz, startHz + spanHz): the noise floor integrated over
 * each bin with a little jitter, plus each keyed transmitter, spread over its occupied bandwidth.
 */
export function synthesizeSpectrum(scene: Scene, r: SceneReceiver, startHz: number, spanHz: number, bins: number, unixMs: number, seed = 0): Float32Array {
  const rand = mulberry32(hashSeed(`${r.id}:${unixMs}:${seed}`));
  const binHz = spanHz / bins;
  const floor = r.noiseFloorDbmHz + 10 * Math.log10(binHz);
  const out = new Float32Array(bins);
  const linear = new Float64Array(bins);
  for (let i = 0; i < bins; i++) linear[i] = 10 ** ((floor + (rand() - 0.5) * 4) / 10);
  const addBand = (centreHz: number, widthHz: number, powerMw: number) => {
    const lo = Math.floor((centreHz - widthHz / 2 - startHz) / binHz);
    const hi = Math.floor((centreHz + widthHz / 2 - startHz) / binHz);
    if (hi < 0 || lo >= bins) return;
    const share = powerMw / (hi - lo + 1);
    for (let b = Math.max(0, lo); b <= Math.min(bins - 1, hi); b++) linear[b] = linear[b]! + share;
  };
  for (const x of scene.transmitters) {
    const p = propagation(r, x);
    if (carrierEnvelope(x, unixMs / 1000 - p.delaySec) < 0.5) continue;
    const occupied = x.modulation === 'cw' ? 50 : x.modulation === 'nfm' ? 2 * (x.deviationHz + x.toneHz) : 2 * x.toneHz;
    const total = 10 ** (p.rxPowerDbm / 10);
    // A spread moves sin^2(deviation) of the power off the carrier into a pedestal +-chip rate wide.
    const spreadShare = x.spread ? Math.sin((x.spread.deviationDeg * Math.PI) / 180) ** 2 : 0;
    addBand(x.freqHz, occupied, total * (1 - spreadShare));
    if (x.spread) addBand(x.freqHz, 2 * x.spread.chipRateHz, total * spreadShare);
  }
  for (let i = 0; i < bins; i++) out[i] = 10 * Math.log10(linear[i]!);
  return out;
}

/** Received power (dBm) in a passband around `freqHz`, for S-meters. */
export function passbandPowerDbm(scene: Scene, r: SceneReceiver, freqHz: number, bandwidthHz: number, unixMs: number): number {
  let linear = 10 ** ((r.noiseFloorDbmHz + 10 * Math.log10(bandwidthHz)) / 10);
  for (const x of scene.transmitters) {
    const p = propagation(r, x);
    if (Math.abs(x.freqHz - freqHz) <= bandwidthHz / 2) linear += carrierEnvelope(x, unixMs / 1000 - p.delaySec) * 10 ** (p.rxPowerDbm / 10);
  }
  return 10 * Math.log10(linear);
}

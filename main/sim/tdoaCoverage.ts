/**
 * Which simulated receivers could locate which transmitter by TDoA, as the locate core needs it: at
 * least 3 KiwiSDRs (the only receivers with GPS-timed IQ) that tune to it (0-30 MHz), hear it well
 * above their noise in the IQ band, have a GPS clock and no fault, and a transmitter whose modulation
 * carries lag information (a spread; a bare carrier has none and a single tone is periodic).
 */
import { propagation, type Scene, type SceneReceiver, type SceneTransmitter } from './scene';

/** KiwiSDR tuning range and IQ bandwidth. */
const KIWI_MAX_HZ = 30_000_000;
const KIWI_IQ_HZ = 12_000;
/** Signal to noise in the IQ band below which a receiver's lags would be noise. */
const MIN_SNR_DB = 10;
/** A TDoA fix needs two independent delay differences. */
export const MIN_TDOA_RECEIVERS = 3;

export interface TdoaCoverage {
  transmitter: SceneTransmitter;
  /** KiwiSDRs that hear it usably, nearest first. */
  receivers: SceneReceiver[];
  /** Empty when it can be located; else why not. */
  why: string;
}

function usable(r: SceneReceiver, x: SceneTransmitter): boolean {
  if (r.kind !== 'kiwisdr' || x.freqHz > KIWI_MAX_HZ || r.gps.noClock || r.faults.length) return false;
  const noiseDbm = r.noiseFloorDbmHz + 10 * Math.log10(KIWI_IQ_HZ);
  return propagation(r, x).rxPowerDbm - noiseDbm >= MIN_SNR_DB;
}

export function tdoaCoverage(scene: Scene, x: SceneTransmitter): TdoaCoverage {
  const kiwis = scene.receivers.filter((r) => r.kind === 'kiwisdr');
  const receivers = kiwis.filter((r) => usable(r, x)).sort((a, b) => propagation(a, x).distanceM - propagation(b, x).distanceM);
  let why = '';
  if (x.freqHz > KIWI_MAX_HZ) why = 'above 30 MHz, where no KiwiSDR tunes (OpenWebRX receivers send no GPS-timed IQ)';
  else if (!x.spread) why = `its ${x.modulation.toUpperCase()} has no lag information between key-up edges (a carrier, or one periodic tone); give it a spread modulation`;
  else if (receivers.length < MIN_TDOA_RECEIVERS) {
    why = `${receivers.length} of ${kiwis.length} KiwiSDRs hear it usably (GPS clock, no faults, ${MIN_SNR_DB} dB over their noise); TDoA needs ${MIN_TDOA_RECEIVERS}`;
  }
  return { transmitter: x, receivers, why };
}

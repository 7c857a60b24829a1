/**
 * The built-in demo world (`heimdall-station sim --demo`): the seven Heimdall OpenWebRX receivers of
 * NW Italy, five KiwiSDRs around Biella, a 2 m NFM transmitter near Torino that the OpenWebRX
 * receivers hear (a 1 kHz tone, 2.5 kHz deviation), and an HF CW beacon that the KiwiSDRs hear
 * (KiwiSDRs are HF-only, 0-30 MHz), keying "VVV" in Morse at the start of every key-up. The beacon
 * also carries a DCF77-like pseudo-random phase modulation, so the KiwiSDRs' IQ can locate it by
 * TDoA (a bare carrier has no lag to measure); to the ear it is the same keyed carrier.
 *
 * The OpenWebRX positions are copied from resources/receivers/heimdall-nw-italy.json (a unit test
 * keeps the two in step) so this module stays free of file I/O and loads anywhere.
 */
import { sceneSchema, type Scene } from './scene';

/** 2 m band the simulated OpenWebRX SDRs cover. */
export const DEMO_VHF_CENTER_HZ = 145_000_000;
export const DEMO_VHF_SAMPLE_RATE_HZ = 2_400_000;
/** Where the demo transmitters sit, so commands and tests can tune to them without searching. */
export const DEMO_VHF_TX_HZ = 145_500_000;
export const DEMO_HF_TX_HZ = 7_100_000;

/** Keyed 4 s in every 10 s: long enough to see, short enough that every capture has an edge. */
const VHF_SCHEDULE = { periodSec: 10, onSec: 4, offsetSec: 0 };
/** The HF beacon keys on the odd half-periods so the two transmitters are easy to tell apart. */
const HF_SCHEDULE = { periodSec: 10, onSec: 4, offsetSec: 5 };

const OPENWEBRX_SITES: Array<{ id: string; name: string; lat: number; lon: number; altM: number }> = [
  { id: 'owrx-aquila-di-giaveno', name: 'Aquila di Giaveno', lat: 45.02, lon: 7.29, altM: 600 },
  { id: 'owrx-montanaro', name: 'Montanaro', lat: 45.234, lon: 7.857, altM: 300 },
  { id: 'owrx-torino', name: 'Torino', lat: 45.044, lon: 7.672, altM: 250 },
  { id: 'owrx-coazze', name: 'Coazze', lat: 45.03, lon: 7.27, altM: 700 },
  { id: 'owrx-passo-del-giovi', name: 'Passo del Giovi', lat: 44.561, lon: 8.956, altM: 480 },
  { id: 'owrx-genova', name: 'Genova', lat: 44.395, lon: 8.956, altM: 100 },
  { id: 'owrx-milano-baggio', name: 'Milano - Baggio', lat: 45.478, lon: 9.123, altM: 120 },
];

/**
 * Fictional KiwiSDR sites surrounding the HF beacon (NW, NE, E, S, SW; 46-137 km from it, baselines
 * 54-199 km), so their delays differ by tens of microseconds and the hyperbolas cross at good angles.
 */
const KIWISDR_SITES: Array<{ id: string; name: string; lat: number; lon: number; altM: number; clockOffsetNs: number }> = [
  { id: 'kiwi-aosta', name: 'KiwiSDR Aosta (sim)', lat: 45.737, lon: 7.32, altM: 580, clockOffsetNs: 40 },
  { id: 'kiwi-asti', name: 'KiwiSDR Asti (sim)', lat: 44.9, lon: 8.207, altM: 120, clockOffsetNs: -25 },
  { id: 'kiwi-cuneo', name: 'KiwiSDR Cuneo (sim)', lat: 44.384, lon: 7.542, altM: 530, clockOffsetNs: 10 },
  { id: 'kiwi-como', name: 'KiwiSDR Como (sim)', lat: 45.81, lon: 9.085, altM: 250, clockOffsetNs: -15 },
  { id: 'kiwi-novara', name: 'KiwiSDR Novara (sim)', lat: 45.446, lon: 8.622, altM: 160, clockOffsetNs: 30 },
];

/**
 * A fresh GPS fix every 2 s (real KiwiSDRs: about every 5 s), so any recording of 5 s or more holds at
 * least two fresh anchors and its time base measures its own rate.
 */
const KIWISDR_GPS = { fixEverySec: 2 };

/**
 * The beacon's TDoA modulation: 2000 chips/s (about +-2 kHz around the carrier, inside a 12 kHz IQ
 * band) swinging the phase +-15 deg like DCF77's, which leaves 93 % of the power in the carrier. Slower
 * or shallower, the spread's correlation peak is flat next to the Morse keying's, and blocks holding
 * key edges scatter (1000 chips/s at 10 deg: 1.7 us rms per 1 s block; this: 0.2 us).
 */
export const DEMO_HF_SPREAD = { chipRateHz: 2000, deviationDeg: 15, seed: 7100, transition: 0.5 };

export function demoScene(): Scene {
  return sceneSchema.parse({
    name: 'Heimdall NW Italy demo',
    transmitters: [
      {
        id: 'tx-2m-torino',
        name: '2 m NFM handheld on the Superga hill, Torino',
        freqHz: DEMO_VHF_TX_HZ,
        lat: 45.08,
        lon: 7.767,
        altM: 670,
        // 5 W into a rubber duck: about -75 dBm at 50 km in free space, -58 dBm at Torino (8 km).
        powerDbm: 37,
        modulation: 'nfm',
        schedule: VHF_SCHEDULE,
        deviationHz: 2500,
        toneHz: 1000,
      },
      {
        id: 'tx-40m-biella',
        name: '40 m CW beacon near Biella',
        freqHz: DEMO_HF_TX_HZ,
        lat: 45.563,
        lon: 8.054,
        altM: 420,
        // 0.5 W keeps the nearest KiwiSDR (about 60 km) below the simulated IQ full scale.
        powerDbm: 27,
        modulation: 'cw',
        schedule: HF_SCHEDULE,
        // "VVV" and then carrier to the end of the key-up: heard in CW as di-di-di-dah x 3 and a long dash.
        morse: { text: 'VVV', wpm: 25 },
        spread: DEMO_HF_SPREAD,
      },
    ],
    receivers: [
      ...OPENWEBRX_SITES.map((s) => ({
        ...s,
        kind: 'openwebrx' as const,
        noiseFloorDbmHz: -165,
        clockOffsetNs: 0,
        centerFreqHz: DEMO_VHF_CENTER_HZ,
        sampleRateHz: DEMO_VHF_SAMPLE_RATE_HZ,
      })),
      ...KIWISDR_SITES.map((s) => ({ ...s, kind: 'kiwisdr' as const, noiseFloorDbmHz: -155, gps: KIWISDR_GPS })),
    ],
  });
}

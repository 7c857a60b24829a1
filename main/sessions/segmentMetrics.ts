import { type MeasurementRow } from '../store/measurementsRepo';

export interface SegmentMetrics {
  snrDb: number | null;
  signalPowerDb: number | null;
  noisePowerDb: number | null;
  freqOffsetHz: number | null;
  windows: number;
  measurementIds: string[];
}

const mean = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

/**
 * The review figures of one receiver's recording of one segment: the mean of the measurement
 * windows whose centre falls inside [startSample, endSample). Powers are averaged in dB, which is
 * what an operator compares by eye; the offset is the mean peak offset.
 */
export function segmentMetrics(rows: readonly MeasurementRow[], startSample: number, endSample: number): SegmentMetrics {
  const inside = rows.filter((m) => {
    const centre = m.window_start_sample + m.window_samples / 2;
    return centre >= startSample && centre < endSample;
  });
  return {
    snrDb: mean(inside.map((m) => m.snr_db)),
    signalPowerDb: mean(inside.map((m) => m.signal_power_db)),
    noisePowerDb: mean(inside.map((m) => m.noise_power_db)),
    freqOffsetHz: mean(inside.map((m) => m.freq_offset_hz)),
    windows: inside.length,
    measurementIds: inside.map((m) => m.id),
  };
}

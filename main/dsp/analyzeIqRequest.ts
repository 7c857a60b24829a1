import { type DspRequest, type DspResponse } from './dspProtocol';
import { spectrumMetrics, type SpectrumMetrics } from './metrics';
import { welchComplex } from './welch';

type AnalyzeIqRequest = Extract<DspRequest, { task: 'analyzeIq' }>;

/** Welch PSD + metrics of one block (or of each frame of it): the DSP worker's answer and what it transfers. */
export function analyzeIqRequest(req: AnalyzeIqRequest): { res: DspResponse; transfer: ArrayBuffer[] } {
  const { id, iq, fs, nperseg, frameSamples } = req;
  try {
    if (iq.byteLength % 8 !== 0) throw new Error(`IQ block of ${iq.byteLength} bytes is not whole complex float32 samples (8 bytes each)`);
    const all = new Float32Array(iq);
    const total = all.length / 2;
    if (total < 2) throw new Error(`the IQ block holds ${total} samples; send at least 2 complex samples`);
    const per = frameSamples ?? total;
    if (total < per || total % per !== 0) throw new Error(`IQ block of ${total} samples is not a whole number of ${per}-sample frames`);
    const frames = total / per;
    const metrics: SpectrumMetrics[] = [];
    let psdDb: Float32Array | null = null;
    let bins = 0;
    let startHz = 0;
    for (let f = 0; f < frames; f++) {
      // No mean removal: with the dial on a carrier (the usual way to record a beacon in IQ) the
      // carrier IS the mean, and scipy's default detrend would erase it from every segment.
      const psd = welchComplex(all.subarray(2 * f * per, 2 * (f + 1) * per), { fs, nperseg, detrend: 'none' });
      metrics.push(spectrumMetrics(psd));
      bins = psd.psd.length;
      startHz = psd.freqs[0]!;
      psdDb ??= new Float32Array(frames * bins);
      const row = f * bins;
      for (let i = 0; i < bins; i++) psdDb[row + i] = 10 * Math.log10(Math.max(psd.psd[i]!, 1e-30));
    }
    const out = psdDb!.buffer as ArrayBuffer;
    return { res: { id, ok: true, metrics, psdDb: out, bins, startHz, binHz: fs / bins }, transfer: [out] };
  } catch (e) {
    return { res: { id, ok: false, error: (e as Error).message }, transfer: [] };
  }
}

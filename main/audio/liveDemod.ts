/**
 * One receiver's live IQ turned into audio in the audio worker: the demodulator plus the clock
 * bookkeeping that gives each audio block the receiver time of its first sample (the filter delays
 * the audio by half its length, which is taken off so the time stays the receiver's).
 */
import { type ListenSettings } from '../../shared/domain/audio';
import { Demodulator } from '../dsp/demod/demodulator';
import { FILTER_TAPS } from '../dsp/demod/fftFilter';

const DELAY = (FILTER_TAPS - 1) / 2;

export class LiveDemod {
  private readonly d: Demodulator;
  private fed = 0;
  private produced = 0;
  /** Input sample index -> receiver time of the blocks still needed to time the output. */
  private marks: { start: number; t0Ms: number }[] = [];

  constructor(
    listen: ListenSettings,
    readonly sampleRate: number,
  ) {
    this.d = new Demodulator(listen, sampleRate);
  }

  get listen(): ListenSettings {
    return this.d.settings;
  }

  /** int16 interleaved I,Q whose first sample is at receiver time t0Ms; audio (possibly empty) out. */
  push(iq: Int16Array, t0Ms: number, listen: ListenSettings): { pcm: Int16Array; t0Ms: number } {
    const s = this.d.settings;
    if (s.mode !== listen.mode || s.lowHz !== listen.lowHz || s.highHz !== listen.highHz || s.bfoHz !== listen.bfoHz) this.d.set(listen);
    const f = new Float32Array(iq.length);
    for (let i = 0; i < iq.length; i++) f[i] = iq[i]! / 32768;
    this.marks.push({ start: this.fed, t0Ms });
    this.fed += iq.length >> 1;
    const audio = this.d.process(f);
    const first = this.produced - DELAY;
    this.produced += audio.length;
    // Forget the blocks before the one holding the first output sample.
    while (this.marks.length > 1 && this.marks[1]!.start <= first) this.marks.shift();
    const m = this.marks[0]!;
    const pcm = new Int16Array(audio.length);
    for (let i = 0; i < audio.length; i++) pcm[i] = Math.round(audio[i]! * 32767);
    return { pcm, t0Ms: m.t0Ms + ((first - m.start) / this.sampleRate) * 1000 };
  }
}

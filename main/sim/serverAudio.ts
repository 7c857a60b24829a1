/**
 * The audio a simulated receiver streams in a demodulated mode: the scene's baseband run through
 * the station's own demodulators with the mode and filter edges the client asked for, so a mode
 * that does not fit the signal sounds wrong (as on a real receiver) and one that fits it gives
 * the transmitter's modulation back.
 */
import { fromServerCw, type ListenSettings } from '../../shared/domain/audio';
import { Demodulator } from '../dsp/demod/demodulator';

/** KiwiSDR and OpenWebRX mode names -> the station's demodulator settings. */
export function listenForServerMode(mod: string, passband: { lowHz: number; highHz: number }): ListenSettings {
  const pb = passband.highHz - passband.lowHz >= 50 ? passband : { lowHz: passband.lowHz, highHz: passband.lowHz + 50 };
  const m = mod.toLowerCase();
  if (m === 'cw' || m === 'cwn') return fromServerCw(pb);
  const mode = m === 'nbfm' || m === 'nnfm' || m === 'nfm' ? 'nfm' : m === 'usb' || m === 'usn' ? 'usb' : m === 'lsb' || m === 'lsn' ? 'lsb' : 'am';
  return { mode, lowHz: pb.lowHz, highHz: pb.highHz, bfoHz: 0 };
}

/** A receiver's demodulator for one client; keeps its filter state when the client changes mode or passband. */
export class ServerDemodulator {
  private key = '';
  private d: Demodulator | null = null;

  constructor(private readonly sampleRate: number) {}

  /** Interleaved baseband (full scale 1) in `mod` with `passband` -> int16 audio, as many samples (multiples of 512). */
  int16(iq: Float32Array, mod: string, passband: { lowHz: number; highHz: number }): Int16Array {
    const key = `${mod}:${passband.lowHz}:${passband.highHz}`;
    if (key !== this.key) {
      const settings = listenForServerMode(mod, passband);
      if (this.d) this.d.set(settings);
      else this.d = new Demodulator(settings, this.sampleRate);
      this.key = key;
    }
    const audio = this.d!.process(iq);
    const s = new Int16Array(audio.length);
    for (let i = 0; i < audio.length; i++) s[i] = Math.round(audio[i]! * 32767);
    return s;
  }
}

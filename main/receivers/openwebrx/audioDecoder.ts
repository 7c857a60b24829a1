import { decodeAdpcm, encodeAdpcm, newAdpcmState, type AdpcmState } from '../codecs/imaAdpcm';

const SYNC = [0x53, 0x59, 0x4e, 0x43]; // "SYNC"
/**
 * ADPCM bytes between two SYNC headers. The server's encoder (csdr) checks its counter before
 * decrementing it, so it writes 1001 bytes after each header, not 1000; OpenWebRX's own browser
 * decoder counts the same way. With 1000 a decoder slips one byte per block on a real server.
 */
export const OWRX_SYNC_PERIOD = 1001;
const STATE_BYTES = 4; // int16 index + int16 predictor, little-endian, after "SYNC"

/**
 * OpenWebRX ADPCM audio as a stream: decoder state persists across messages; 1.2+ servers insert
 * a SYNC header (with the encoder's index and predictor) before every block of ADPCM bytes, and a
 * header may be split across websocket messages. 1.1 servers send none: the first four bytes tell
 * which one this is (1.2 encoders start with a header). When a header is not where it is due
 * (corruption, foreign bytes), the decoder hunts for the next "SYNC", as the reference client does,
 * instead of decoding out of step for ever.
 */
export class OwrxAdpcmStream {
  private state: AdpcmState = newAdpcmState();
  private mode: 'unknown' | 'sync' | 'plain' = 'unknown';
  private phase: 'hunt' | 'state' | 'data' = 'hunt';
  private probe: number[] = [];
  private matched = 0;
  private stateBytes: number[] = [];
  private dataLeft = 0;
  private headerDue = false;
  /** Headers that were not where one was due (corruption); the decoder resynchronised. */
  badSyncs = 0;
  /** Bytes skipped while hunting for a header. */
  skippedBytes = 0;

  decode(chunk: Uint8Array): Int16Array {
    let input = chunk;
    if (this.mode === 'unknown') {
      const need = 4 - this.probe.length;
      for (let k = 0; k < need && k < chunk.length; k++) this.probe.push(chunk[k]!);
      if (this.probe.length < 4) return new Int16Array(0);
      this.mode = SYNC.every((b, k) => this.probe[k] === b) ? 'sync' : 'plain';
      input = new Uint8Array(4 + chunk.length - need);
      input.set(this.probe);
      input.set(chunk.subarray(need), 4);
      this.probe = [];
    }
    const out = new Int16Array(input.length * 2);
    if (this.mode === 'plain') return out.subarray(0, decodeAdpcm(this.state, input, out, 0));
    let n = 0;
    let i = 0;
    while (i < input.length) {
      if (this.phase === 'data') {
        const take = Math.min(input.length - i, this.dataLeft);
        n += decodeAdpcm(this.state, input.subarray(i, i + take), out, n);
        i += take;
        this.dataLeft -= take;
        if (this.dataLeft === 0) {
          this.phase = 'hunt';
          this.headerDue = true;
        }
      } else if (this.phase === 'hunt') {
        const b = input[i++]!;
        if (b === SYNC[this.matched]) {
          if (++this.matched === 4) {
            this.matched = 0;
            this.phase = 'state';
          }
          continue;
        }
        if (this.headerDue) this.badSyncs++;
        this.headerDue = false;
        this.skippedBytes += this.matched + 1;
        this.matched = 0;
        if (b === SYNC[0]) {
          this.matched = 1;
          this.skippedBytes--;
        }
      } else {
        this.stateBytes.push(input[i++]!);
        if (this.stateBytes.length < STATE_BYTES) continue;
        const h = this.stateBytes;
        this.state.index = Math.max(0, Math.min(88, ((h[0]! | (h[1]! << 8)) << 16) >> 16));
        this.state.prev = ((h[2]! | (h[3]! << 8)) << 16) >> 16;
        this.stateBytes = [];
        this.headerDue = false;
        this.phase = 'data';
        this.dataLeft = OWRX_SYNC_PERIOD;
      }
    }
    return out.subarray(0, n);
  }
}

/** The server side of the same format (the simulator uses it): SYNC headers carry the state in force. */
export class OwrxAdpcmEncoderStream {
  private state: AdpcmState = newAdpcmState();
  private dataSinceSync = OWRX_SYNC_PERIOD;

  constructor(private readonly withSync: boolean) {}

  /** Encodes an even number of samples. */
  encode(samples: Int16Array): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let s = 0; s < samples.length; ) {
      if (this.withSync && this.dataSinceSync >= OWRX_SYNC_PERIOD) {
        const h = new Uint8Array(4 + STATE_BYTES);
        h.set(SYNC);
        new DataView(h.buffer).setInt16(4, this.state.index, true);
        new DataView(h.buffer).setInt16(6, this.state.prev, true);
        parts.push(h);
        this.dataSinceSync = 0;
      }
      const bytesLeft = this.withSync ? OWRX_SYNC_PERIOD - this.dataSinceSync : Infinity;
      const take = Math.min(samples.length - s, bytesLeft * 2);
      const enc = encodeAdpcm(this.state, samples.subarray(s, s + take));
      parts.push(enc);
      this.dataSinceSync += enc.length;
      s += take;
    }
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

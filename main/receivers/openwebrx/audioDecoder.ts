import { decodeAdpcm, encodeAdpcm, newAdpcmState, type AdpcmState } from '../codecs/imaAdpcm';

const SYNC = [0x53, 0x59, 0x4e, 0x43]; // "SYNC"
const SYNC_EVERY = 1000;
const HEADER = 8; // "SYNC" + int16 index + int16 predictor, little-endian

/**
 * OpenWebRX ADPCM audio as a stream: decoder state persists across messages; 1.2+ servers insert
 * a SYNC header (with the encoder's index and predictor) every 1000 ADPCM bytes, and a header may be
 * split across websocket messages. 1.1 servers send none: the first bytes tell which one this is.
 */
export class OwrxAdpcmStream {
  private state: AdpcmState = newAdpcmState();
  private mode: 'unknown' | 'sync' | 'plain' = 'unknown';
  private dataSinceSync = 0;
  private header: number[] = [];
  /** Headers that did not say "SYNC" where one was due (corruption); the decoder resynchronises. */
  badSyncs = 0;

  decode(chunk: Uint8Array): Int16Array {
    const out = new Int16Array((chunk.length + this.header.length) * 2);
    let n = 0;
    let i = 0;
    if (this.mode === 'unknown') {
      // Wait for 4 bytes to decide.
      const probe = [...this.header, ...chunk.subarray(0, Math.max(0, 4 - this.header.length))];
      if (probe.length < 4) {
        this.header = probe;
        return out.subarray(0, 0);
      }
      this.mode = SYNC.every((b, k) => probe[k] === b) ? 'sync' : 'plain';
      if (this.mode === 'plain' && this.header.length) {
        n += decodeAdpcm(this.state, Uint8Array.from(this.header), out, n);
        this.header = [];
      }
      if (this.mode === 'sync') this.dataSinceSync = SYNC_EVERY; // a header is due right now
    }
    while (i < chunk.length) {
      if (this.mode === 'sync' && this.dataSinceSync >= SYNC_EVERY) {
        while (this.header.length < HEADER && i < chunk.length) this.header.push(chunk[i++]!);
        if (this.header.length < HEADER) break; // the rest of the header comes in the next message
        if (SYNC.every((b, k) => this.header[k] === b)) {
          const h = this.header;
          this.state.index = Math.max(0, Math.min(88, h[4]! | (h[5]! << 8)));
          this.state.prev = (h[6]! | (h[7]! << 8)) << 16 >> 16;
        } else {
          this.badSyncs++;
        }
        this.header = [];
        this.dataSinceSync = 0;
        continue;
      }
      const take = this.mode === 'sync' ? Math.min(chunk.length - i, SYNC_EVERY - this.dataSinceSync) : chunk.length - i;
      n += decodeAdpcm(this.state, chunk.subarray(i, i + take), out, n);
      i += take;
      this.dataSinceSync += take;
    }
    return out.subarray(0, n);
  }
}

/** The server side of the same format (the simulator uses it): SYNC headers carry the state in force. */
export class OwrxAdpcmEncoderStream {
  private state: AdpcmState = newAdpcmState();
  private dataSinceSync = SYNC_EVERY;

  constructor(private readonly withSync: boolean) {}

  /** Encodes an even number of samples. */
  encode(samples: Int16Array): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let s = 0; s < samples.length; ) {
      if (this.withSync && this.dataSinceSync >= SYNC_EVERY) {
        const h = new Uint8Array(HEADER);
        h.set(SYNC);
        new DataView(h.buffer).setInt16(4, this.state.index, true);
        new DataView(h.buffer).setInt16(6, this.state.prev, true);
        parts.push(h);
        this.dataSinceSync = 0;
      }
      const bytesLeft = this.withSync ? SYNC_EVERY - this.dataSinceSync : Infinity;
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

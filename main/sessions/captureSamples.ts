import fs from 'node:fs';
import { bytesPerSample } from '../../shared/domain/capture';

/**
 * Reads `count` samples from `start` of a stored sample file as interleaved float32 I,Q scaled to
 * full scale (real data gets Q = 0), the layout the DSP pool takes. Only the range is read.
 */
export function readCaptureSamples(file: string, datatype: string, start: number, count: number): Float32Array {
  if (!/^(c|r)i16_le$/.test(datatype)) throw new Error(`samples of type ${datatype} cannot be analysed here (only ci16_le and ri16_le)`);
  const bps = bytesPerSample(datatype);
  const buf = Buffer.alloc(count * bps);
  const fd = fs.openSync(file, 'r');
  let got = 0;
  try {
    got = fs.readSync(fd, buf, 0, buf.length, start * bps);
  } finally {
    fs.closeSync(fd);
  }
  const n = Math.floor(got / bps);
  const out = new Float32Array(n * 2);
  if (datatype.startsWith('c')) {
    for (let i = 0; i < n * 2; i++) out[i] = buf.readInt16LE(2 * i) / 32768;
  } else {
    for (let i = 0; i < n; i++) out[2 * i] = buf.readInt16LE(2 * i) / 32768;
  }
  return out;
}

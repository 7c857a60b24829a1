/**
 * NumPy .npy v1.0 headers, written by hand: magic "\x93NUMPY", version 1.0, little-endian u16
 * header length, then a Python dict literal padded with spaces so data starts on a 64-byte boundary.
 */
export type NpyDescr = '<c8' | '<f8' | '<f4' | '<i2';

export function npyHeader(descr: NpyDescr, shape: readonly number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const preamble = 10; // magic (6) + version (2) + header length (2)
  const unpadded = preamble + dict.length + 1; // + '\n'
  const total = Math.ceil(unpadded / 64) * 64;
  const headerLen = total - preamble;
  if (headerLen > 0xffff) throw new Error('npy v1.0 headers are limited to 65535 bytes; this shape is too large to describe');
  const out = Buffer.alloc(total, 0x20);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(headerLen, 8);
  out.write(dict, preamble, 'latin1');
  out[total - 1] = 0x0a;
  return out;
}

/** Complex int16 interleaved I,Q -> complex64 (float32 I, float32 Q), scaled to +-1.0 full scale. */
export function ci16ToComplex64(iq: Int16Array): Float32Array {
  return ci16ToComplex64Into(iq, new Float32Array(iq.length));
}

/** The same into `out` (at least iq.length long, reused by the caller); returns the part filled. */
export function ci16ToComplex64Into(iq: Int16Array, out: Float32Array): Float32Array {
  for (let i = 0; i < iq.length; i++) out[i] = iq[i]! * (1 / 32768);
  return out.subarray(0, iq.length);
}

export function npyBytes(descr: NpyDescr, shape: readonly number[], data: ArrayBufferView): Buffer {
  return Buffer.concat([npyHeader(descr, shape), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

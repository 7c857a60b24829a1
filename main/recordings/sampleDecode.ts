import { parseSampleDatatype } from '../../shared/domain/sampleDatatype';

type Reader = (v: DataView, o: number, le: boolean) => number;
const READERS: Record<string, { read: Reader; scale: number }> = {
  i16: { read: (v, o, le) => v.getInt16(o, le), scale: 1 / 32768 },
  u16: { read: (v, o, le) => v.getUint16(o, le) - 32768, scale: 1 / 32768 },
  i8: { read: (v, o) => v.getInt8(o), scale: 1 / 128 },
  u8: { read: (v, o) => v.getUint8(o) - 128, scale: 1 / 128 },
  i32: { read: (v, o, le) => v.getInt32(o, le), scale: 1 / 2147483648 },
  u32: { read: (v, o, le) => v.getUint32(o, le) - 2147483648, scale: 1 / 2147483648 },
  f32: { read: (v, o, le) => v.getFloat32(o, le), scale: 1 },
  f64: { read: (v, o, le) => v.getFloat64(o, le), scale: 1 },
};

/** Raw SigMF samples -> float32 (interleaved I,Q for complex data), integers scaled to full scale 1.0. */
export function decodeSamples(bytes: Uint8Array, datatype: string): Float32Array {
  const dt = parseSampleDatatype(datatype);
  if (!dt) throw new Error(`${datatype} is not a SigMF datatype (such as ci16_le, cf32_le, ri16_le)`);
  const r = READERS[dt.element]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Math.floor(bytes.byteLength / dt.sampleBytes) * (dt.complex ? 2 : 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r.read(view, i * dt.elementBytes, dt.littleEndian) * r.scale;
  return out;
}

import { parseSampleDatatype, type SampleDatatype } from '../../shared/domain/sampleDatatype';

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

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function datatypeOf(datatype: string): SampleDatatype {
  const dt = parseSampleDatatype(datatype);
  if (!dt) throw new Error(`${datatype} is not a SigMF datatype (such as ci16_le, cf32_le, ri16_le)`);
  return dt;
}

/** Raw SigMF samples -> float32 (interleaved I,Q for complex data), integers scaled to full scale 1.0. */
export function decodeSamples(bytes: Uint8Array, datatype: string): Float32Array {
  const dt = datatypeOf(datatype);
  const out = new Float32Array(Math.floor(bytes.byteLength / dt.sampleBytes) * (dt.complex ? 2 : 1));
  decoderFor(dt)(bytes, 0, bytes.byteLength, out, 0);
  return out;
}

/**
 * Decodes the whole samples of bytes[from, to) into out[offset ...] and returns the elements written
 * (I and Q counted apart). Reading a recording piece by piece (kiwirecorder: 2 kB between chunk
 * headers) passes one buffer and the pieces' byte ranges.
 */
export type SampleDecoder = (bytes: Uint8Array, from: number, to: number, out: Float32Array, offset: number) => number;

/** The decoder of one datatype, for reading a recording piece by piece without parsing its type each time. */
export function sampleDecoder(datatype: string): SampleDecoder {
  return decoderFor(datatypeOf(datatype));
}

/**
 * The types recordings come in (16-bit integers and float32 in host byte order, 8-bit integers) are
 * read through a typed array over the bytes: a DataView call per element is what made reading a
 * recording slow. Typed arrays need their offset aligned to the element: a misaligned piece is
 * copied once.
 */
function decoderFor(dt: SampleDatatype): SampleDecoder {
  const perSample = dt.complex ? 2 : 1;
  const size = dt.elementBytes;
  const count = (from: number, to: number) => Math.floor((to - from) / dt.sampleBytes) * perSample;
  const native = dt.littleEndian === HOST_LITTLE_ENDIAN || size === 1;
  if (native && dt.element === 'i16') {
    const viewOf = typedViews((b, o, n) => new Int16Array(b, o, n), size);
    return (bytes, from, to, out, offset) => {
      const n = count(from, to);
      const { view, first } = viewOf(bytes, from, n);
      for (let i = 0; i < n; i++) out[offset + i] = view[first + i]! / 32768;
      return n;
    };
  }
  if (native && dt.element === 'f32') {
    const viewOf = typedViews((b, o, n) => new Float32Array(b, o, n), size);
    return (bytes, from, to, out, offset) => {
      const n = count(from, to);
      const { view, first } = viewOf(bytes, from, n);
      out.set(view.subarray(first, first + n), offset);
      return n;
    };
  }
  if (dt.element === 'i8') {
    return (bytes, from, to, out, offset) => {
      const n = count(from, to);
      const v = new Int8Array(bytes.buffer, bytes.byteOffset + from, n);
      for (let i = 0; i < n; i++) out[offset + i] = v[i]! / 128;
      return n;
    };
  }
  if (dt.element === 'u8') {
    return (bytes, from, to, out, offset) => {
      const n = count(from, to);
      for (let i = 0; i < n; i++) out[offset + i] = (bytes[from + i]! - 128) / 128;
      return n;
    };
  }
  const r = READERS[dt.element]!;
  return (bytes, from, to, out, offset) => {
    const n = count(from, to);
    const view = new DataView(bytes.buffer, bytes.byteOffset + from, to - from);
    for (let i = 0; i < n; i++) out[offset + i] = r.read(view, i * size, dt.littleEndian) * r.scale;
    return n;
  };
}

/**
 * A typed view of n elements from byte `from` of bytes: one view of the whole buffer, kept while the
 * pieces of that buffer are decoded; a misaligned piece (typed arrays need aligned offsets) is copied.
 */
function typedViews<T extends Int16Array | Float32Array>(make: (buffer: ArrayBufferLike, byteOffset: number, length: number) => T, size: number): (bytes: Uint8Array, from: number, n: number) => { view: T; first: number } {
  let viewOf: Uint8Array | null = null;
  let whole: T | null = null;
  return (bytes, from, n) => {
    if ((bytes.byteOffset + from) % size !== 0) {
      const copy = bytes.slice(from, from + n * size);
      return { view: make(copy.buffer, 0, n), first: 0 };
    }
    if (bytes.byteOffset % size !== 0) return { view: make(bytes.buffer, bytes.byteOffset + from, n), first: 0 };
    if (viewOf !== bytes || !whole) {
      viewOf = bytes;
      whole = make(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / size));
    }
    return { view: whole, first: from / size };
  };
}

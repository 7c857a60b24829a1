import { z } from 'zod';

/**
 * The SigMF core:datatype grammar, the one place it is written: `(c|r)(f32|f64|i32|i16|u32|u16|i8|u8)(_le|_be)?`
 * (endianness may be absent only for 8-bit types). Pure, so the contract, the store and every reader share it.
 */
export const SAMPLE_DATATYPE_RE = /^(c|r)(f32|f64|i32|i16|u32|u16|i8|u8)(_le|_be)?$/;

export interface SampleDatatype {
  complex: boolean;
  /** Element kind and width, e.g. 'i16'. */
  element: 'f32' | 'f64' | 'i32' | 'i16' | 'u32' | 'u16' | 'i8' | 'u8';
  /** Bytes of one element (one of I or Q for complex data). */
  elementBytes: number;
  littleEndian: boolean;
  /** Bytes of one sample (all channels: I and Q for complex). */
  sampleBytes: number;
}

/** Parses a datatype, or null when it is not one SigMF defines. */
export function parseSampleDatatype(datatype: string): SampleDatatype | null {
  const m = SAMPLE_DATATYPE_RE.exec(datatype);
  if (!m) return null;
  const element = m[2] as SampleDatatype['element'];
  const elementBytes = Number(element.slice(1)) / 8;
  const complex = m[1] === 'c';
  return { complex, element, elementBytes, littleEndian: m[3] !== '_be', sampleBytes: elementBytes * (complex ? 2 : 1) };
}

export const sampleDatatypeSchema = z.string().regex(SAMPLE_DATATYPE_RE, 'a SigMF datatype such as ci16_le');

/** Bytes per sample (all channels) of a SigMF datatype; 1 for a string that is not one. */
export function bytesPerSample(datatype: string): number {
  return parseSampleDatatype(datatype)?.sampleBytes ?? 1;
}

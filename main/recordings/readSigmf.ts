import fs from 'node:fs';
import { z } from 'zod';
import { type LoadedRecording } from './recording';

const metaSchema = z.object({
  global: z.object({ 'core:datatype': z.string(), 'core:sample_rate': z.number().positive().optional() }).passthrough(),
  captures: z.array(z.object({ 'core:sample_start': z.number().int().nonnegative(), 'core:frequency': z.number().optional() }).passthrough()).default([]),
  annotations: z.array(z.unknown()).default([]),
});

const TYPES: Record<string, { bytes: number; read: (v: DataView, o: number, le: boolean) => number; scale: number }> = {
  i16: { bytes: 2, read: (v, o, le) => v.getInt16(o, le), scale: 1 / 32768 },
  u16: { bytes: 2, read: (v, o, le) => v.getUint16(o, le) - 32768, scale: 1 / 32768 },
  i8: { bytes: 1, read: (v, o) => v.getInt8(o), scale: 1 / 128 },
  u8: { bytes: 1, read: (v, o) => v.getUint8(o) - 128, scale: 1 / 128 },
  f32: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le), scale: 1 },
  f64: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le), scale: 1 },
  i32: { bytes: 4, read: (v, o, le) => v.getInt32(o, le), scale: 1 / 2147483648 },
};

/** Reads <base>.sigmf-meta + <base>.sigmf-data; errors name the file and what is wrong. */
export function readSigmf(metaFile: string): LoadedRecording {
  const dataFile = metaFile.replace(/\.sigmf-meta$/, '.sigmf-data');
  if (!fs.existsSync(metaFile)) throw new Error(`${metaFile} does not exist; give the path of a .sigmf-meta file (its .sigmf-data beside it)`);
  let metaRaw: unknown;
  try {
    metaRaw = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  } catch (e) {
    throw new Error(`${metaFile} cannot be read as JSON (${(e as Error).message}); is it a SigMF .sigmf-meta file?`);
  }
  const parsed = metaSchema.safeParse(metaRaw);
  if (!parsed.success) throw new Error(`${metaFile} is not SigMF metadata (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  const meta = parsed.data;
  const dt = /^(c|r)(f32|f64|i32|i16|u32|u16|i8|u8)(_le|_be)?$/.exec(meta.global['core:datatype']);
  const type = dt ? TYPES[dt[2]!] : undefined;
  if (!dt || !type) throw new Error(`${metaFile}: datatype ${meta.global['core:datatype']} is not supported (use ci16_le, cf32_le, ri16_le, ...)`);
  const rate = meta.global['core:sample_rate'];
  if (!rate) throw new Error(`${metaFile} has no core:sample_rate; the recording cannot be analysed without it`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(dataFile);
  } catch {
    throw new Error(`the data file ${dataFile} is missing next to ${metaFile}`);
  }
  if (bytes.length < type.bytes * (dt[1] === 'c' ? 2 : 1)) throw new Error(`the data file ${dataFile} holds no whole sample (${bytes.length} bytes); the recording is empty, record again`);
  const complex = dt[1] === 'c';
  const le = dt[3] !== '_be';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor(bytes.length / type.bytes);
  const samples = new Float32Array(complex ? count - (count % 2) : count);
  for (let i = 0; i < samples.length; i++) samples[i] = type.read(view, i * type.bytes, le) * type.scale;
  const timestamps = meta.captures
    .filter((c) => typeof c['heimdall:gps_unix_ns'] === 'string')
    .map((c) => ({ sampleIndex: c['core:sample_start'], unixNs: BigInt(c['heimdall:gps_unix_ns'] as string) }));
  return { format: 'sigmf', complex, sampleRate: rate, freqHz: meta.captures[0]?.['core:frequency'] ?? null, datatype: meta.global['core:datatype'], samples, timestamps, meta: meta as Record<string, unknown> };
}

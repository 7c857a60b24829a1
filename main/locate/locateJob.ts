/**
 * A locate job as it crosses into a DSP worker: which recordings (stored captures with their time
 * base inputs, or recording files the worker opens itself), the region and the stretches of time.
 * The worker reads the samples itself, range by range, so nothing big crosses the thread boundary.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { gpsStampSchema } from '../../shared/domain/gpsStamp';
import { locateResultSchema, regionSchema, type LocateResult } from '../../shared/domain/locate';
import { type DspJobHandle, type DspPool } from '../dsp/pool';
import { parseSampleDatatype } from '../../shared/domain/sampleDatatype';
import { openRecordings } from '../recordings/openRecording';
import { readRecordingSamples, recordingTimeBase, type RecordingFile } from '../recordings/recordingFile';
import { decodeSamples } from '../recordings/sampleDecode';
import { buildTimeBase, type TimeBaseInput } from '../recordings/timeBase';
import { locate, type LocateHooks, type LocateSignal } from './locate';

const timeBaseInputSchema = z.object({
  stamps: z.array(gpsStampSchema),
  totalSamples: z.number().int().nonnegative(),
  nominalRateHz: z.number().positive(),
  weekHintUnixMs: z.number(),
  restarts: z.array(z.number().int()).optional(),
  hostTimes: z.array(z.object({ sampleStart: z.number().int(), unixNs: z.bigint() })).optional(),
});

const receiverFields = {
  name: z.string().min(1),
  receiverId: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
};

/** A stored capture: its sample file and what its time base is built from. */
const captureSignalSchema = z.object({
  from: z.literal('capture'),
  ...receiverFields,
  captureId: z.string(),
  kind: z.enum(['kiwisdr', 'openwebrx']),
  file: z.string().min(1),
  datatype: z.string(),
  timeBase: timeBaseInputSchema,
});

/** A recording file (kiwirecorder .wav, SigMF); what it says about its receiver fills what is not given. */
const fileSignalSchema = z.object({
  from: z.literal('file'),
  path: z.string().min(1),
  name: z.string().min(1).optional(),
  receiverId: z.string().nullable().optional(),
  lat: z.number().nullable().optional(),
  lon: z.number().nullable().optional(),
});

export const locateJobSpecSchema = z.object({
  signals: z.array(z.discriminatedUnion('from', [captureSignalSchema, fileSignalSchema])).min(1).max(256),
  region: regionSchema.optional(),
  stepDeg: z.number().min(0.001).max(10).optional(),
  blockSec: z.number().min(0.1).max(10).optional(),
  windows: z.array(z.object({ startNs: z.bigint(), endNs: z.bigint() })).optional(),
  source: z.object({ name: z.string(), lat: z.number(), lon: z.number() }).nullable().optional(),
  freqHz: z.number().nullable().optional(),
});
export type LocateJobSpec = z.infer<typeof locateJobSpecSchema>;
export type CaptureSignalSpec = z.infer<typeof captureSignalSchema>;

/** Samples [start, start + count) of a stored sample file as interleaved complex float32. */
function captureReader(file: string, datatype: string) {
  const dt = parseSampleDatatype(datatype);
  if (!dt) throw new Error(`${file}: ${datatype} is not a SigMF datatype`);
  return (start: number, count: number): Float32Array => {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.allocUnsafe(count * dt.sampleBytes);
      const got = fs.readSync(fd, buf, 0, buf.length, start * dt.sampleBytes);
      const x = decodeSamples(buf.subarray(0, got - (got % dt.sampleBytes)), datatype);
      if (dt.complex) return x;
      // Real (audio) data never reaches the correlator (judged bad first); keep the shape anyway.
      const iq = new Float32Array(2 * x.length);
      for (let i = 0; i < x.length; i++) iq[2 * i] = x[i]!;
      return iq;
    } finally {
      fs.closeSync(fd);
    }
  };
}

/** A recording file as the locate core takes it; what is given overrides what the file says of its receiver. */
export function signalOfRecording(r: RecordingFile, given: { name?: string; receiverId?: string | null; lat?: number | null; lon?: number | null } = {}): LocateSignal {
  return {
    name: given.name ?? r.receiver.name ?? r.label,
    receiverId: given.receiverId ?? null,
    captureId: r.captureId ?? null,
    file: r.label,
    kind: r.receiver.kind,
    complex: r.complex,
    lat: given.lat !== undefined ? given.lat : r.receiver.lat,
    lon: given.lon !== undefined ? given.lon : r.receiver.lon,
    totalSamples: r.totalSamples,
    timeBase: recordingTimeBase(r),
    read: (start, count) => readRecordingSamples(r, start, count),
  };
}

/** Opens every recording of a job; close() releases the files. */
export async function openLocateSignals(spec: LocateJobSpec): Promise<{ signals: LocateSignal[]; close(): void }> {
  const opened: RecordingFile[] = [];
  const signals: LocateSignal[] = [];
  try {
    for (const s of spec.signals) {
      if (s.from === 'capture') {
        const dt = parseSampleDatatype(s.datatype);
        signals.push({
          name: s.name,
          receiverId: s.receiverId,
          captureId: s.captureId,
          file: null,
          kind: s.kind,
          complex: dt?.complex ?? false,
          lat: s.lat,
          lon: s.lon,
          totalSamples: s.timeBase.totalSamples,
          timeBase: buildTimeBase(s.timeBase as TimeBaseInput),
          read: captureReader(s.file, s.datatype),
        });
        continue;
      }
      const all = await openRecordings(s.path);
      for (const r of all) {
        if ('error' in r) throw new Error(`${r.label}: ${r.error}`);
        opened.push(r);
        signals.push(signalOfRecording(r, s));
      }
    }
  } catch (e) {
    for (const r of opened) r.source.close();
    throw e;
  }
  return { signals, close: () => opened.forEach((r) => r.source.close()) };
}

export async function runLocateJob(spec: LocateJobSpec, hooks: LocateHooks = {}): Promise<LocateResult> {
  const { signals, close } = await openLocateSignals(spec);
  try {
    return locate(
      {
        signals,
        ...(spec.region ? { region: spec.region } : {}),
        ...(spec.stepDeg !== undefined ? { stepDeg: spec.stepDeg } : {}),
        ...(spec.blockSec !== undefined ? { blockSec: spec.blockSec } : {}),
        ...(spec.windows ? { windows: spec.windows } : {}),
        source: spec.source ?? null,
        freqHz: spec.freqHz ?? null,
      },
      hooks,
    );
  } finally {
    close();
  }
}

/** A fix in the DSP pool, with progress and cancellable: the spec is checked in the worker, the result here. */
export function locateInPool(pool: DspPool, spec: LocateJobSpec, onProgress?: (phase: string, fraction: number) => void): DspJobHandle<LocateResult> {
  return pool.job('locate', spec, locateResultSchema, onProgress);
}

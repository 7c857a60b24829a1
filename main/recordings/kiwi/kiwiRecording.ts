/**
 * A kiwirecorder WAV as a RecordingFile: samples from its data chunks, the GPS stamp of every block,
 * frequency, station and the GPS week from its name, the station's position from a `<station>.txt`
 * or `gnss_pos/<station>.txt` beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type GpsStamp } from '../../../shared/domain/gpsStamp';
import { type CaptureMode } from '../../../shared/domain/monitor';
import { fileSource, type ByteSource } from '../byteSource';
import { type RecordingFile } from '../recordingFile';
import { findStationPosition, parseKiwirecorderName } from './kiwirecorder';
import { readKiwiWavLayout } from './kiwiWav';

export function openKiwiRecording(file: string, label = file): RecordingFile {
  const source = fileSource(file);
  try {
    return kiwiRecordingFrom(file, label, source);
  } catch (e) {
    source.close();
    throw e;
  }
}

function kiwiRecordingFrom(file: string, label: string, source: ByteSource): RecordingFile {
  const layout = readKiwiWavLayout(source);
  const warnings = [...layout.warnings];
  const named = parseKiwirecorderName(path.basename(file));
  const mtimeMs = fs.statSync(file).mtimeMs;
  const stamps: GpsStamp[] = layout.blocks.filter((b) => b.stamp).map((b) => ({ sampleIndex: b.sampleIndex, seq: null, ...b.stamp! }));
  if (stamps.length && !named) {
    warnings.push("the GPS week was taken from the file modification time (the name is not kiwirecorder's YYYYMMDDTHHMMSSZ_<Hz>_<station>_<mode>.wav): the times are a whole number of weeks off if the file was copied more than 3.5 days after recording");
  }
  if (!stamps.length) {
    warnings.push(
      named
        ? 'no GPS time stamps: the first-sample time is the time in the file name (host clock, whole seconds)'
        : 'no GPS time stamps and no kiwirecorder file name: the first-sample time is guessed from the file modification time',
    );
  }
  const frame = 2 * layout.channels;
  const startNs = named ? BigInt(named.startMs) * 1_000_000n : BigInt(Math.round(mtimeMs - (layout.totalSamples / layout.headerRateHz) * 1000)) * 1_000_000n;
  let mode: CaptureMode | null = layout.channels === 2 ? 'iq' : named?.mode && named.mode !== 'iq' ? named.mode : null;
  if (!mode) {
    mode = 'usb';
    warnings.push('mono audio of unknown mode (not in the file name): recorded as usb');
  }
  const position = named?.stationToken ? findStationPosition(file, named.stationToken) : null;
  return {
    label,
    format: 'kiwi-wav',
    datatype: layout.channels === 2 ? 'ci16_le' : 'ri16_le',
    swap: 0,
    complex: layout.channels === 2,
    headerRateHz: layout.headerRateHz,
    totalSamples: layout.totalSamples,
    source,
    ranges: layout.blocks.map((b) => ({ pos: b.dataPos, len: b.dataLen })),
    bytes: layout.totalSamples * frame,
    freqHz: named?.freqHz ?? null,
    mode,
    kiwirecorder: named,
    receiver: {
      kind: 'kiwisdr',
      ...(named?.station ? { name: named.station } : {}),
      ...(position?.url ? { url: position.url } : {}),
      lat: position?.lat ?? null,
      lon: position?.lon ?? null,
      alt: null,
      ...(position ? { positionFile: position.file } : {}),
    },
    stamps,
    streamSegments: [{ sampleStart: 0, reason: 'start' }],
    hostTimes: [{ sampleStart: 0, unixNs: startNs }],
    weekHintUnixMs: named ? named.startMs : mtimeMs,
    status: layout.truncated ? 'partial' : 'complete',
    warnings,
  };
}

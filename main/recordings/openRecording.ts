import fs from 'node:fs';
import { openKiwiRecording } from './kiwi/kiwiRecording';
import { type RecordingFile } from './recordingFile';
import { openSigmfArchive, openSigmfRecording } from './sigmf/sigmfRecording';

export type RecordingKind = 'wav' | 'sigmf' | 'archive';

/** What a file name says it is ('data' = a .sigmf-data, opened through its .sigmf-meta). */
export function recordingKindOf(file: string): RecordingKind | 'data' | null {
  const f = file.toLowerCase();
  if (f.endsWith('.wav')) return 'wav';
  if (f.endsWith('.sigmf-meta')) return 'sigmf';
  if (f.endsWith('.sigmf-data')) return 'data';
  if (f.endsWith('.sigmf')) return 'archive';
  return null;
}

export const RECORDINGS_TO_GIVE = 'give kiwirecorder .wav files, SigMF .sigmf-meta files (their .sigmf-data beside them), .sigmf archives, or a folder of them';

/** Opens a recording file (an archive may hold several); the caller closes each one's source. */
export async function openRecordings(file: string, label = file): Promise<(RecordingFile | { label: string; error: string })[]> {
  const kind = recordingKindOf(file);
  if (kind && kind !== 'data' && !fs.existsSync(file)) throw new Error(`${file} does not exist; ${RECORDINGS_TO_GIVE}`);
  if (kind === 'wav') return [openKiwiRecording(file, label)];
  if (kind === 'sigmf' || kind === 'data') return [openSigmfRecording(file.replace(/\.sigmf-data$/i, '.sigmf-meta'), label.replace(/\.sigmf-data$/i, '.sigmf-meta'))];
  if (kind === 'archive') return openSigmfArchive(file, label);
  throw new Error(`${file}: this is not a recording the station reads; ${RECORDINGS_TO_GIVE}`);
}

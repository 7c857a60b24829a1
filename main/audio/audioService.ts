/**
 * Listening, composed: one audio worker (started when someone first listens), live audio from the
 * running monitor or session, and review playback from stored samples.
 */
import { type Logger } from '../base/log';
import { type CaptureStore } from '../store/captureStore';
import { createAudioWorkerClient } from './audioWorkerClient';
import { createLiveAudio } from './liveAudio';
import { createReviewAudio } from './reviewAudio';

export function createAudioService(deps: { store: CaptureStore; log: Logger; sessionPassband: (sessionId: string) => { lowHz: number; highHz: number } | null; changed: (receiverId: string) => void }) {
  const worker = createAudioWorkerClient(deps.log);
  const live = createLiveAudio({ worker, changed: deps.changed });
  const review = createReviewAudio({ store: deps.store, worker, sessionPassband: deps.sessionPassband });
  return { live, review, close: () => worker.close() };
}
export type AudioService = ReturnType<typeof createAudioService>;

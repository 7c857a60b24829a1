import { type DomainImpl } from '../../shared/api/define';
import type * as audio from '../../shared/api/audio';
import { type AudioService } from '../audio/audioService';

export function audioApi(s: { audio: AudioService }): DomainImpl<typeof audio> {
  return {
    getListen: () => s.audio.live.states(),
    setListen: ({ receiverId, listen }) => s.audio.live.set(receiverId, listen),
    getReviewWaterfall: (input) => s.audio.review.waterfall(input),
    streams: {
      audio: ({ receiverIds }, emit, signal) => s.audio.live.subscribe(receiverIds, emit, signal),
      reviewAudio: (params, emit, signal) => s.audio.review.stream(params, emit, signal),
    },
  };
}

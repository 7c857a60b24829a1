import os from 'node:os';

const littleEndian = os.endianness() === 'LE';

/** int16 samples as the little-endian bytes the audio stream carries (no copy on little-endian hosts). */
export function pcmBody(pcm: Int16Array): Uint8Array {
  if (littleEndian) return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const out = new Uint8Array(pcm.length * 2);
  const v = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) v.setInt16(2 * i, pcm[i]!, true);
  return out;
}

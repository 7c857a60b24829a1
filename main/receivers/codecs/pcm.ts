/** int16 PCM between wire byte order and host order. */
/** int16 samples in the wire's byte order -> host Int16Array. */
const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function pcmFromWire(payload: Uint8Array, littleEndian: boolean): Int16Array {
  const n = payload.length >> 1;
  // A copy into fresh (aligned) memory, byte-swapped natively when the wire order differs from ours.
  const copy = Buffer.from(payload.subarray(0, n * 2));
  if (littleEndian !== hostIsLittleEndian) copy.swap16();
  return new Int16Array(copy.buffer, copy.byteOffset, n);
}

/** Host int16 -> wire bytes (big-endian unless `littleEndian`). */
export function pcmToWire(samples: Int16Array, littleEndian = false): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, littleEndian);
  return out;
}

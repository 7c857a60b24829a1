/**
 * A SigMF archive (pax tar of `<name>/`, `<name>/<name>.sigmf-data`, `<name>/<name>.sigmf-meta`)
 * written in one pass over its samples: the data member first, its sha512 taken (off this thread) as
 * the bytes stream into the archive, then the meta that records that hash as core:sha512. SigMF
 * readers find the members by name, not by order (sigmf-python's archive reader, ours).
 */
import { offThreadHash } from './offThreadHash';
import { TAR_END, tarHeader, tarPadding } from './tarHeaders';

export async function writeSigmfArchiveOnePass(
  out: { write(chunk: Uint8Array): Promise<void> },
  name: string,
  data: { size: number; chunks: AsyncIterable<Uint8Array> },
  metaFor: (sha512: string) => string,
  opts: { mtime: Date },
): Promise<{ sha512: string; metaJson: string }> {
  const { mtime } = opts;
  const sha512 = offThreadHash('sha512');
  try {
    await out.write(Buffer.concat([tarHeader(`${name}/`, { type: 'directory', size: 0, mode: 0o755, mtime }), tarHeader(`${name}/${name}.sigmf-data`, { type: 'file', size: data.size, mode: 0o644, mtime })]));
    let written = 0;
    // Each chunk is hashed (copied to the hashing thread) and written before the next is asked for.
    for await (const c of data.chunks) {
      await sha512.update(c);
      await out.write(c);
      written += c.byteLength;
    }
    if (written !== data.size) throw new Error(`the samples of ${name} were ${written} bytes, not the ${data.size} announced`);
    const hex = await sha512.digest();
    const metaJson = metaFor(hex);
    const meta = Buffer.from(metaJson, 'utf8');
    await out.write(Buffer.concat([tarPadding(data.size), tarHeader(`${name}/${name}.sigmf-meta`, { type: 'file', size: meta.length, mode: 0o644, mtime }), meta, tarPadding(meta.length), TAR_END]));
    return { sha512: hex, metaJson };
  } finally {
    await sha512.digest().catch(() => undefined);
  }
}

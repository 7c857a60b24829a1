import fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { TAR_END, tarHeader, tarPadding } from './tarHeaders';

/** The .sigmf-data member: a whole file, or `size` bytes streamed from `chunks` (e.g. a byte range of a capture). */
export type SigmfArchiveData = string | { size: number; chunks: AsyncIterable<Uint8Array> };

/**
 * A SigMF archive: a POSIX pax tar named <name>.sigmf holding <name>/<name>.sigmf-meta and
 * <name>/<name>.sigmf-data (directory 0755, files 0644), streamed so large data never sits in memory.
 * `out` is a file path or a Writable the caller owns (and closes). `mtime` makes the bytes reproducible.
 */
export async function writeSigmfArchive(out: string | Writable, name: string, metaJson: string, data: SigmfArchiveData, opts: { mtime?: Date } = {}): Promise<void> {
  const pack = tar.pack();
  const mtime = opts.mtime ?? new Date();
  const done = pipeline(pack, typeof out === 'string' ? fs.createWriteStream(out) : out);
  done.catch(() => undefined); // awaited below; this only keeps an early sink error from going unhandled
  const size = typeof data === 'string' ? fs.statSync(data).size : data.size;
  const source = typeof data === 'string' ? fs.createReadStream(data) : Readable.from(data.chunks, { objectMode: false });
  try {
    pack.entry({ name: `${name}/`, type: 'directory', mode: 0o755, mtime });
    const metaBytes = Buffer.from(metaJson, 'utf8');
    pack.entry({ name: `${name}/${name}.sigmf-meta`, mode: 0o644, size: metaBytes.length, mtime }, metaBytes);
    const entry = pack.entry({ name: `${name}/${name}.sigmf-data`, mode: 0o644, size, mtime });
    const ended = done.then(() => {
      throw new Error(`The archive ${name}.sigmf closed before its data was written`);
    });
    ended.catch(() => undefined);
    const copy = pipeline(source, entry);
    copy.catch(() => undefined); // the race below reports it
    await Promise.race([copy, ended]);
    pack.finalize();
  } catch (e) {
    source.destroy();
    pack.destroy(e as Error);
    await done.catch(() => undefined);
    throw e;
  }
  await done;
}

/** A running hash the caller chooses (e.g. one computed in another thread). */
export interface StreamingHash {
  update(chunk: Uint8Array): Promise<void>;
  digest(): Promise<string>;
}

/**
 * The same archive written in one pass over its samples: the data member first, its sha512 taken as
 * the bytes stream into the archive, then the meta that records that hash as core:sha512. SigMF
 * readers find the members by name, not by order (sigmf-python's archive reader, ours). `sha512` is
 * a fresh hash the caller supplies (exports compute it off their thread).
 */
export async function writeSigmfArchiveOnePass(
  out: { write(chunk: Uint8Array): Promise<void> },
  name: string,
  data: { size: number; chunks: AsyncIterable<Uint8Array> },
  metaFor: (sha512: string) => string,
  opts: { mtime: Date; sha512: StreamingHash },
): Promise<{ sha512: string; metaJson: string }> {
  const { mtime, sha512 } = opts;
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

export interface SigmfCollectionStream {
  /** Base name of the recording (its archive is `<name>.sigmf`). */
  name: string;
  /** sha512 (hex) of the recording's `<name>.sigmf-meta` bytes. */
  hash: string;
}

/**
 * A `.sigmf-collection` document (SigMF 1.2): one top-level `collection` object with `core:version`,
 * the recordings in `core:streams`, and any extension fields (whose namespaces `extensions` declares).
 */
export function sigmfCollectionJson(c: {
  description: string;
  streams: SigmfCollectionStream[];
  extensions?: { name: string; version: string; optional: boolean }[];
  fields?: Record<string, unknown>;
  author?: string;
  license?: string;
}): string {
  const collection: Record<string, unknown> = { 'core:version': '1.2.0', 'core:description': c.description };
  if (c.author) collection['core:author'] = c.author;
  if (c.license) collection['core:license'] = c.license;
  if (c.extensions?.length) collection['core:extensions'] = c.extensions;
  Object.assign(collection, c.fields ?? {});
  collection['core:streams'] = c.streams.map((s) => ({ name: s.name, hash: s.hash }));
  return `${JSON.stringify({ collection }, null, 2)}\n`;
}

/** Reads back the members of a .sigmf archive (names and contents), for import and verification. */
export async function readSigmfArchive(file: string): Promise<Map<string, Buffer>> {
  const extract = tar.extract();
  const members = new Map<string, Buffer>();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
    stream.on('end', () => {
      if (header.type === 'file') members.set(header.name, Buffer.concat(chunks));
      next();
    });
    stream.resume();
  });
  await pipeline(fs.createReadStream(file), extract);
  return members;
}

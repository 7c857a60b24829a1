import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';

/**
 * A SigMF archive: a POSIX pax tar named <name>.sigmf holding <name>/<name>.sigmf-meta and
 * <name>/<name>.sigmf-data (directory 0755, files 0644), streamed so large data never sits in memory.
 */
export async function writeSigmfArchive(outFile: string, name: string, metaJson: string, dataFile: string): Promise<void> {
  const pack = tar.pack();
  const mtime = new Date();
  const done = pipeline(pack, fs.createWriteStream(outFile));
  pack.entry({ name: `${name}/`, type: 'directory', mode: 0o755, mtime });
  const metaBytes = Buffer.from(metaJson, 'utf8');
  pack.entry({ name: `${name}/${name}.sigmf-meta`, mode: 0o644, size: metaBytes.length, mtime }, metaBytes);
  const size = fs.statSync(dataFile).size;
  const entry = pack.entry({ name: `${name}/${name}.sigmf-data`, mode: 0o644, size, mtime });
  await pipeline(fs.createReadStream(dataFile), entry);
  pack.finalize();
  await done;
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

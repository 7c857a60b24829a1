/**
 * POSIX tar headers, written by hand so an archive's bytes can be streamed from buffers the writer
 * reuses (a tar packer keeps hold of each chunk until its reader is done): ustar headers, with a pax
 * record in front when a path does not fit (as tar-stream writes them), padding, and the end marker.
 */

const BLOCK = 512;
/** Two zero blocks end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

const octal = (n: number, digits: number) => n.toString(8).padStart(digits, '0');

/** Zero bytes up to the next 512-byte boundary after `size` bytes of an entry. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The ustar name/prefix split of a path, or null when it needs a pax record. */
function ustarName(path: string): { name: string; prefix: string } | null {
  if (Buffer.byteLength(path) !== path.length) return null;
  let name = path;
  let prefix = '';
  while (name.length > 100) {
    const i = name.indexOf('/');
    if (i === -1) return null;
    prefix += prefix ? `/${name.slice(0, i)}` : name.slice(0, i);
    name = name.slice(i + 1);
  }
  return name.length <= 100 && prefix.length <= 155 ? { name, prefix } : null;
}

function ustar(e: { name: string; prefix: string; type: 'file' | 'directory' | 'pax'; size: number; mode: number; mtime: Date }): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(e.name, 0, 100, 'utf8');
  b.write(`${octal(e.mode & 0o7777, 6)} \0`, 100, 'latin1');
  b.write(`${octal(0, 6)} \0`, 108, 'latin1');
  b.write(`${octal(0, 6)} \0`, 116, 'latin1');
  // Over 8 GiB the size goes in the pax record; the ustar field then says 0.
  b.write(`${octal(e.size < 0o77777777777 ? e.size : 0, 11)}\0`, 124, 'latin1');
  b.write(`${octal(Math.floor(e.mtime.getTime() / 1000), 11)}\0`, 136, 'latin1');
  b.write(e.type === 'file' ? '0' : e.type === 'directory' ? '5' : 'x', 156, 'latin1');
  b.write('ustar\0', 257, 'latin1');
  b.write('00', 263, 'latin1');
  b.write(`${octal(0, 6)} \0`, 329, 'latin1');
  b.write(`${octal(0, 6)} \0`, 337, 'latin1');
  if (e.prefix) b.write(e.prefix, 345, 155, 'utf8');
  // The checksum counts its own field as spaces.
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(`${octal(sum, 6)}\0 `, 148, 'latin1');
  return b;
}

/** A pax record "<len> <key>=<value>\n", where <len> counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bytes = Buffer.byteLength(body);
  let digits = String(bytes).length;
  // Adding the digits may add a digit (e.g. 98 bytes + 2 digits = 100, which takes 3).
  if (String(bytes + digits).length !== digits) digits++;
  return `${bytes + digits}${body}`;
}

/** The header(s) of one entry: a pax record first when the path or the size does not fit ustar. */
export function tarHeader(path: string, e: { type: 'file' | 'directory'; size: number; mode: number; mtime: Date }): Buffer {
  const fits = ustarName(path);
  const big = e.size >= 0o77777777777;
  const entry = ustar({ ...(fits ?? { name: path.slice(0, 100), prefix: '' }), ...e });
  if (fits && !big) return entry;
  const records = Buffer.from((fits ? '' : paxRecord('path', path)) + (big ? paxRecord('size', String(e.size)) : ''), 'utf8');
  return Buffer.concat([ustar({ name: 'PaxHeader', prefix: '', type: 'pax', size: records.length, mode: 0o644, mtime: e.mtime }), records, tarPadding(records.length), entry]);
}

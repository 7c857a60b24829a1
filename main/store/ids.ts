import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;
let pool = Buffer.alloc(0);
let poolAt = 0;

/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms, then a 12-bit counter, then random bits. Time-ordered ids
 * make SQLite and PostgreSQL index inserts appends instead of random page writes (measured ~1.7x
 * faster for measurement rows), and stay valid UUIDs for the backend's uuid columns.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
  } else if (++counter > 0xfff) {
    // More than 4096 ids in one ms: borrow the next ms so order holds.
    lastMs++;
    counter = 0;
  }
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(8 * 1024);
    poolAt = 0;
  }
  const b = Buffer.alloc(16);
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  pool.copy(b, 8, poolAt, poolAt + 8);
  poolAt += 8;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

import fs from 'node:fs';
import { StationError } from '../../shared/errors';

const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;

export function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

/**
 * Refuses to start a capture that cannot fit with a margin left over, so a full disk never
 * corrupts a capture half-way or starves SQLite of room for its WAL.
 */
export function assertRoomFor(dir: string, neededBytes: number, marginBytes: number, free: (d: string) => number = freeBytes): void {
  const available = free(dir);
  if (available < neededBytes + marginBytes) {
    throw new StationError(
      'disk_full',
      `Not enough disk space to start this capture: ${mb(available)} free in ${dir}, it needs about ${mb(neededBytes)} plus a ${mb(marginBytes)} safety margin. Free space (delete old exports, or set a retention for synced samples: \`heimdall-station sync configure --retention-days N\`), shorten the capture, or choose another data directory.`,
    );
  }
}

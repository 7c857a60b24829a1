/**
 * `session record` killed (SIGKILL) at random moments, round after round on one data directory:
 * at the next start every acknowledged sample (up to the last durable mark in each capture's journal,
 * read here before the station starts) is kept, adopted byte for byte; nothing is kept twice; no
 * reservation is left behind; SQLite's integrity check passes. Rounds: HEIMDALL_KILL_ROUNDS (default 20, as QUALITY.md asks of the kill -9 tests).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/base/log';
import { readJournal } from '../../../main/samples/captureJournal';
import { sceneSchema } from '../../../main/sim/scene';
import { mulberry32 } from '../../../main/sim/prng';
import { createStation } from '../../../main/station';
import { resourcesDir } from '../../helpers/station';
import { killHard, spawnStationUntil } from '../../helpers/spawnUntil';
import { tempDir } from '../../helpers/tempDir';
import { useSimulation } from '../../helpers/simulation';

const ROUNDS = Number(process.env.HEIMDALL_KILL_ROUNDS ?? 20);
const scene = sceneSchema.parse({
  name: 'record kill',
  transmitters: [{ id: 'tx', name: 'beacon', freqHz: 7_100_500, lat: 45.07, lon: 7.69, powerDbm: 10, modulation: 'cw', schedule: { periodSec: 2, onSec: 1 } }],
  receivers: [
    { id: 'a', name: 'Kiwi A', kind: 'kiwisdr', lat: 45.1, lon: 7.7, gps: { fixEverySec: 2 } },
    { id: 'b', name: 'Kiwi B', kind: 'kiwisdr', lat: 44.9, lon: 8.1, gps: { fixEverySec: 2 } },
  ],
});
const sim = useSimulation(scene);
const tmp = tempDir('heimdall-record-kill-');
const dataDir = path.join(tmp.dir, 'station');
afterAll(async () => {
  tmp.cleanup();
});

const sha256Prefix = (file: string, bytes: number) => createHash('sha256').update(fs.readFileSync(file).subarray(0, bytes)).digest('hex');

describe('session record killed at random moments', () => {
  it(`keeps every acknowledged sample, none twice, over ${ROUNDS} rounds`, async () => {
    const rand = mulberry32(20261202);
    let st = createStation({ dataDir, resourcesDir, log: silentLogger });
    const rx = sim().receivers.map((r, i) => st.receivers.create({ name: `Kiwi ${i}`, kind: 'kiwisdr', url: r.url, lat: 45, lon: 7 + i, alt: null, active: true, notes: '' }).id);
    await st.close();
    let adoptedTotal = 0;
    for (let round = 0; round < ROUNDS; round++) {
      st = createStation({ dataDir, resourcesDir, log: silentLogger });
      const session = st.sessions.create({ name: `round ${round}`, freqHz: 7_100_000, mode: 'iq', receiverIds: rx, durationSec: 30 });
      await st.close();
      const { child } = await spawnStationUntil(['session', 'record', session.id, '--data-dir', dataDir], 'recording "round');
      // Anywhere from the lead-in (nothing durable yet) to several seconds of samples.
      await new Promise((r) => setTimeout(r, 500 + rand() * 8500));
      await killHard(child);

      // What was acknowledged, read from the journals before the station starts again.
      const partial = path.join(dataDir, 'samples', '.partial');
      const acknowledged = new Map<string, { bytes: number; sha256: string }>();
      for (const f of fs.existsSync(partial) ? fs.readdirSync(partial).filter((n) => n.endsWith('.journal')) : []) {
        const id = f.replace(/\.journal$/, '');
        const bytes = readJournal(path.join(partial, f)).durableBytes;
        const data = path.join(partial, `${id}.sigmf-data.part`);
        acknowledged.set(id, { bytes, sha256: bytes > 0 ? sha256Prefix(data, bytes) : '' });
      }
      st = createStation({ dataDir, resourcesDir, log: silentLogger });
      try {
        expect(st.captures.repos.captures.reserved(), `round ${round}: reservations left`).toEqual([]);
        const captures = st.captures.repos.captures.bySession(session.id);
        expect(new Set(captures.map((c) => c.receiver_id)).size, `round ${round}: one capture per receiver at most`).toBe(captures.length);
        for (const [id, a] of acknowledged) {
          const c = st.captures.repos.captures.get(id);
          if (a.bytes === 0) {
            expect(c, `round ${round}: ${id} had nothing durable`).toBeUndefined();
            continue;
          }
          expect(c, `round ${round}: ${id} (${a.bytes} bytes acknowledged) was not adopted`).toBeDefined();
          expect(c!.byte_size).toBe(a.bytes);
          expect(c!.sha256).toBe(a.sha256);
          expect(createHash('sha256').update(fs.readFileSync(st.captures.absolutePath(c!.file_path))).digest('hex')).toBe(a.sha256);
          adoptedTotal++;
        }
        expect(['review', 'failed']).toContain(st.sessions.get(session.id).state);
        expect(integrityCheck(dataDir)).toBe('ok');
      } finally {
        await st.close();
      }
      expect(fs.readdirSync(path.join(dataDir, 'samples', '.partial'))).toEqual([]);
    }
    // The random moments must have hit recordings, not only lead-ins.
    expect(adoptedTotal).toBeGreaterThan(0);
  }, 600_000);
});

/** SQLite's own check of the station database (a second, read-only connection: WAL allows it). */
function integrityCheck(dir: string): string {
  const db = new Database(path.join(dir, 'station.sqlite'), { readonly: true });
  try {
    return (db.prepare('PRAGMA integrity_check').pluck().get() as string) ?? 'no answer';
  } finally {
    db.close();
  }
}

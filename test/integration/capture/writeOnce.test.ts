/**
 * Each sample is written once: a session recorded by this process (the simulated KiwiSDRs run in a
 * child process, so their socket writes are not ours) writes, off the main thread (the capture
 * workers: samples and their journals), about one byte per captured byte, counted by the kernel in
 * /proc/self/io minus the main thread's /proc/self/task/<pid>/io (a thread's counts join the
 * process's when it exits). The main thread writes only the database. The copy the station used to
 * make (worker file, then the store's file on the main thread) would show 2x in all.
 * Linux only (/proc); skipped with the reason elsewhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/base/log';
import { segmentLine, stampLine } from '../../../main/samples/captureJournal';
import { createStation, type Station } from '../../../main/station';
import { repoRoot, resourcesDir } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';

const haveProc = fs.existsSync('/proc/self/io');
if (!haveProc) console.log('writeOnce.test: skipped, /proc/self/io is not available on this system');

const wcharOf = (file: string) => Number(/wchar:\s*(\d+)/.exec(fs.readFileSync(file, 'utf8'))![1]);
const io = () => ({ all: wcharOf('/proc/self/io'), main: wcharOf(`/proc/self/task/${process.pid}/io`) });
const tmp = tempDir('heimdall-write-once-');
let sim: ChildProcess;
let urls: string[] = [];
let station: Station;

beforeAll(async () => {
  if (!haveProc) return;
  const scene = {
    name: 'write once',
    transmitters: [{ id: 'tx', name: 'beacon', freqHz: 7_100_500, lat: 45.07, lon: 7.69, powerDbm: 10, modulation: 'cw', schedule: { periodSec: 2, onSec: 1 } }],
    receivers: ['A', 'B', 'C'].map((n, i) => ({ id: n, name: `Kiwi ${n}`, kind: 'kiwisdr', lat: 45 + i * 0.2, lon: 7.5, gps: { fixEverySec: 2 } })),
  };
  const file = path.join(tmp.dir, 'scene.json');
  fs.writeFileSync(file, JSON.stringify(scene));
  sim = spawn(process.execPath, ['bin/heimdall-station.mjs', 'sim', '--scene', file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    sim.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Press Ctrl+C')) resolve();
    });
    sim.once('exit', () => reject(new Error(out)));
  });
  urls = [...out.matchAll(/^kiwisdr\s+\S+\s+(http:\/\/\S+)/gm)].map((m) => m[1]!);
  station = createStation({ dataDir: path.join(tmp.dir, 'station'), resourcesDir, log: silentLogger });
}, 60_000);
afterAll(async () => {
  await station?.close();
  sim?.kill('SIGTERM');
  tmp.cleanup();
});

describe.skipIf(!haveProc)('a session writes each sample once', () => {
  it('writes about one byte per captured byte, plus metadata', async () => {
    const receivers = urls.map((url, i) => station.receivers.create({ name: `Kiwi ${i}`, kind: 'kiwisdr', url, lat: 45 + i * 0.2, lon: 7.5, alt: null, active: true, notes: '' }));
    const record = async (name: string, durationSec: number) => {
      const s = station.sessions.create({ name, freqHz: 7_100_000, mode: 'iq', receiverIds: receivers.map((r) => r.id), durationSec });
      await station.sessions.start(s.id);
      // Waits for the recording to end by itself and its captures to be committed.
      for (let t = 0; t < 600 && ['recording'].includes(station.sessions.get(s.id).state); t++) await new Promise((r) => setTimeout(r, 100));
      return s;
    };
    // A first, short recording loads the workers' code (from the sources, a loader may write its cache then).
    await record('warm-up', 1);
    const before = io();
    const s = await record('write once', 6);
    const after = io();
    const captures = station.captures.repos.captures.bySession(s.id);
    expect(captures).toHaveLength(3);
    const captured = captures.reduce((n, c) => n + c.byte_size, 0);
    expect(captured).toBeGreaterThan(3 * 6 * 12000 * 4 * 0.95);
    const workers = after.all - after.main - (before.all - before.main);
    const mainThread = after.main - before.main;
    const ratio = workers / captured;
    // The journals' lines, rebuilt from what was committed (segments and every stamp; durable marks aside).
    const journal = captures.reduce(
      (n, c) =>
        n +
        station.captures.repos.captures.segments(c.id).reduce((k, g) => k + segmentLine({ sampleStart: g.sample_start, reason: g.reason, unixNs: 0n }).length + 18, 0) +
        station.captures.repos.captures.stamps(c.id).reduce((k, st) => k + stampLine(st).length, 0),
      0,
    );
    const rest = workers - captured - journal;
    console.log(
      `bytes written off the main thread per captured byte: ${ratio.toFixed(3)} = 1 (the samples, ${captured} bytes) + ${(journal / captured).toFixed(3)} (the journals' segment and stamp lines, ${journal} bytes) + ${(rest / captured).toFixed(3)} (durable marks, thread wake-ups through eventfd, the receivers' commands: ${rest} bytes); the main thread wrote ${(mainThread / captured).toFixed(3)} (the database: ${mainThread} bytes)`,
    );
    // Every sample once: a second copy would add a whole 1.0. On top only the journals and a little
    // more (mostly the 8-byte eventfd writes that wake a thread, which the kernel counts as writes).
    expect(ratio).toBeGreaterThanOrEqual(1);
    expect(ratio).toBeLessThan(1.1);
    // The main thread never writes samples: far less than one copy of them.
    expect(mainThread).toBeLessThan(captured / 2);
    // The hashes the worker computed are the file's.
    const { createHash } = await import('node:crypto');
    for (const c of captures) {
      const bytes = fs.readFileSync(station.captures.absolutePath(c.file_path));
      expect(createHash('sha512').update(bytes).digest('hex')).toBe(c.sha512);
      expect(createHash('md5').update(bytes).digest('hex')).toBe(c.md5);
    }
  }, 60_000);
});

#!/usr/bin/env node
// Makes resources/samples/kiwi-sim-beacon-7100kHz.sigmf-{meta,data}: 8 s of the demo scene's 40 m
// CW beacon as the simulated KiwiSDR Aosta hears it (IQ with GPS time stamps), recorded by
// `heimdall-station capture`, so `analyze` has something small to try. Never real recordings.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const root = path.resolve(import.meta.dirname, '..');
const { demoScene, DEMO_HF_TX_HZ } = await import('../main/sim/demoScene.ts');
const { startSimulation } = await import('../main/sim/simulation.ts');

const scene = demoScene();
const sim = await startSimulation({ ...scene, receivers: scene.receivers.filter((r) => r.id === 'kiwi-aosta') });
const { analyzeRecording, loadRecording } = await import('../main/commands/analyzeRecording.ts');
const out = path.join(root, 'resources', 'samples');
const base = path.join(out, 'kiwi-sim-beacon-7100kHz');

/** One 8 s capture (the 4 s key-up and quiet around it: the detector needs mostly quiet); true when the beacon's key-up lies inside it with quiet on both sides. */
async function attempt(tmp) {
  // The capture starts a few seconds after the command (start-up and a common start time): aim
  // so that the beacon keys up (4 s in every 10 s) about two seconds into the recording.
  const { periodSec, offsetSec } = scene.transmitters.find((t) => t.freqHz === DEMO_HF_TX_HZ).schedule;
  let keyUp = Math.ceil(Date.now() / 1000) + 6;
  while ((((keyUp - offsetSec) % periodSec) + periodSec) % periodSec !== 0) keyUp++;
  await new Promise((r) => setTimeout(r, Math.max(0, (keyUp - 6) * 1000 - Date.now())));
  // Not spawnSync: the simulator runs in this process and must keep answering.
  const child = spawn(process.execPath, ['bin/heimdall-station.mjs', 'capture', '--receiver', sim.receivers[0].url, '--freq', String(DEMO_HF_TX_HZ), '--duration', '8', '--out', tmp], { cwd: root, stdio: 'inherit' });
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error('the capture failed (see above)');
  const meta = fs.readdirSync(tmp).find((f) => f.endsWith('.sigmf-meta'));
  const rec = loadRecording(path.join(tmp, meta));
  const a = await analyzeRecording(rec);
  const n = rec.sampleRate * 8;
  console.log(`transmissions: ${a.segments.map((g) => `${(g.startSample / rec.sampleRate).toFixed(1)}-${(g.endSample / rec.sampleRate).toFixed(1)} s`).join(', ') || 'none'}`);
  return { meta, ok: a.segments.length === 1 && a.segments[0].startSample > 0.5 * rec.sampleRate && a.segments[0].endSample < n - 0.5 * rec.sampleRate };
}

let tmp = '';
try {
  let got = null;
  for (let i = 0; i < 6 && !got; i++) {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'heimdall-sample-'));
    const r = await attempt(tmp);
    if (r.ok) got = r.meta;
    else console.log('the key-up was not inside the recording; again');
  }
  if (!got) throw new Error('no capture held the whole key-up in 6 tries');
  const meta = got;
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(path.join(tmp, meta), `${base}.sigmf-meta`);
  fs.copyFileSync(path.join(tmp, meta.replace(/\.sigmf-meta$/, '.sigmf-data')), `${base}.sigmf-data`);
  const m = JSON.parse(fs.readFileSync(`${base}.sigmf-meta`, 'utf8'));
  // The meta names its data file by the capture's name; the copy is renamed, so point it there.
  if (m.global?.['core:dataset']) m.global['core:dataset'] = path.basename(`${base}.sigmf-data`);
  fs.writeFileSync(`${base}.sigmf-meta`, `${JSON.stringify(m, null, 2)}\n`);
  console.log(`wrote ${base}.sigmf-meta and .sigmf-data (${fs.statSync(`${base}.sigmf-data`).size} bytes)`);
} finally {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  await sim.close();
}

/** OpenWebRX receivers through the capture engine: honest audio recordings (ri16, not IQ). */
import fs from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { startCapture } from '../../../main/capture/captureEngine';
import { silentLogger } from '../../../main/base/log';
import { sceneSchema } from '../../../main/sim/scene';
import { tempDir } from '../../helpers/tempDir';
import { useSimulation } from '../../helpers/simulation';

const scene = sceneSchema.parse({
  name: 'owrx capture',
  transmitters: [{ id: 'tx', name: '2 m', freqHz: 145_500_000, lat: 45.08, lon: 7.77, powerDbm: 37, modulation: 'nfm', schedule: { periodSec: 1, onSec: 1 } }],
  receivers: [
    { id: 'torino', name: 'Torino', kind: 'openwebrx', lat: 45.044, lon: 7.672 },
    { id: 'genova', name: 'Genova', kind: 'openwebrx', lat: 44.395, lon: 8.956, faults: [{ kind: 'busy' }] },
  ],
});
const sim = useSimulation(scene);
const tmp = tempDir();
afterAll(async () => {
  tmp.cleanup();
});

it('records OpenWebRX audio as ri16_le SigMF labelled as audio, while a busy one backs off', async () => {
  const receivers = sim().receivers.map((r) => ({ receiverId: r.id, name: r.id, kind: 'openwebrx' as const, url: r.url, lat: null, lon: null, alt: null }));
  const run = startCapture({ receivers, freqHz: 145_500_000, mode: 'nfm', identUser: 'heimdall-station TEST', durationSec: 1.5, outDir: tmp.dir, alignLeadMs: 3000 }, silentLogger);
  const states: string[] = [];
  run.events.on('message', (m) => {
    if (m.t === 'state') states.push(`${m.receiverId}:${m.state.code}:${m.state.phase}`);
    // The busy receiver would keep backing off until the deadline: end the run once Torino is done.
    if (m.t === 'done' && m.summary.receiverId === 'torino') void run.stop();
  });
  const [torino, genova] = await run.done;
  expect(torino).toMatchObject({ dataKind: 'audio', sampleRate: 12000, firstSampleFromGps: false });
  expect(torino!.status).toBe('complete');
  expect(torino!.samples).toBe(18000);
  expect(fs.statSync(torino!.dataFile!).size).toBe(36000);
  const meta = JSON.parse(fs.readFileSync(torino!.metaFile!, 'utf8'));
  expect(meta.global['core:datatype']).toBe('ri16_le');
  expect(meta.global['heimdall:data_kind']).toBe('audio');
  expect(meta.global['core:description']).toMatch(/not IQ/);
  expect(states).toContain('genova:backoff:backoff');
  expect(genova!.samples).toBe(0);
});

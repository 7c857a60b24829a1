/**
 * Every server condition in the PROTOCOLS.md error table, and the simulator's transport faults,
 * each on its own simulated KiwiSDR, all running AT THE SAME TIME as healthy receivers: each fault
 * must come out as its typed condition (with an operator sentence) while the healthy receivers
 * stream undisturbed. Then the capture path (worker threads, reconnect policy) on a mix of them,
 * and the stall detector of the link. Loopback only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapture } from '../../../../main/capture/captureEngine';
import { kiwisdrLink } from '../../../../main/capture/links/kiwisdrLink';
import { type LinkState } from '../../../../main/capture/links/receiverLink';
import { silentLogger } from '../../../../main/base/log';
import { KiwiSdrChannel, type KiwiSamples } from '../../../../main/receivers/kiwisdr/client';
import { describeCondition, retryPolicy, type ReceiverCondition } from '../../../../main/receivers/receiverState';
import { startKiwiSimServer, type KiwiSim } from '../../../../main/sim/kiwisdr/server';
import { sceneSchema, type Scene, type SceneFault, type SceneReceiver } from '../../../../main/sim/scene';
import { tempDir } from '../../../helpers/tempDir';

const RATE = 12001.135;
// Long enough for the wrong-rate check (two 2 s windows of stamps) with room for a loaded machine.
const RUN_MS = 8000;

/** Fault receivers and what each must end as. `null` = must stream like a healthy one. */
const FAULTS: Array<{ id: string; faults: SceneFault[]; password?: string; expect: ((c: ReceiverCondition) => void) | null }> = [
  { id: 'busy', faults: [{ kind: 'busy' }], expect: (c) => expect(c).toEqual({ code: 'too_busy', channels: 4 }) },
  { id: 'redirect', faults: [{ kind: 'redirect', to: 'http://127.0.0.1:8074/?x=1 y' }], expect: (c) => expect(c).toEqual({ code: 'redirect', to: 'http://127.0.0.1:8074/?x=1 y' }) },
  { id: 'badp', faults: [{ kind: 'bad_password' }], expect: (c) => expect(c).toEqual({ code: 'bad_password' }) },
  { id: 'wrong-password', faults: [], password: 'letmein', expect: (c) => expect(c).toEqual({ code: 'bad_password' }) },
  { id: 'not-ready-2', faults: [{ kind: 'not_ready', badp: 2 }], expect: (c) => expect(c).toEqual({ code: 'not_ready', badp: 2 }) },
  { id: 'not-ready-6', faults: [{ kind: 'not_ready', badp: 6 }], expect: (c) => expect(c).toEqual({ code: 'not_ready', badp: 6 }) },
  { id: 'disabled', faults: [{ kind: 'disabled', reason: 'antenna maintenance' }], expect: (c) => expect(c).toEqual({ code: 'disabled', reason: 'antenna maintenance' }) },
  { id: 'ip-limit', faults: [{ kind: 'ip_limit' }], expect: (c) => expect(c).toEqual({ code: 'ip_limit', minutes: 1440 }) },
  { id: 'inactivity', faults: [{ kind: 'inactivity_timeout', minutes: 30, afterSeconds: 0.5 }], expect: (c) => expect(c).toEqual({ code: 'inactivity_timeout', minutes: 30 }) },
  { id: 'kick', faults: [{ kind: 'kick', reason: 'kiwi_kick', afterSeconds: 0.5 }], expect: (c) => expect(c).toMatchObject({ code: 'kicked', reason: expect.stringMatching(/kick/) }) },
  { id: 'pw-timeout', faults: [{ kind: 'kick', reason: 'password_timeout', afterSeconds: 0.5 }], expect: (c) => expect(c).toMatchObject({ code: 'kicked', reason: expect.stringMatching(/password/) }) },
  { id: 'exclusive', faults: [{ kind: 'kick', reason: 'exclusive_use', afterSeconds: 0.5 }], expect: (c) => expect(c).toMatchObject({ code: 'kicked', reason: expect.stringMatching(/exclusive/) }) },
  { id: 'drop', faults: [{ kind: 'drop_after', seconds: 1 }], expect: (c) => expect(c.code).toBe('dropped') },
  { id: 'wrong-rate', faults: [{ kind: 'wrong_rate', rateHz: 11025 }], expect: (c) => expect(c).toMatchObject({ code: 'wrong_rate', announcedHz: RATE }) },
  { id: 'malformed', faults: [{ kind: 'malformed', everyNFrames: 4 }], expect: null },
];

const tx = { id: 'tx', name: 'beacon', freqHz: 7_100_500, lat: 45.07, lon: 7.69, powerDbm: 10, modulation: 'cw', schedule: { periodSec: 2, onSec: 1, offsetSec: 0 } };
const rx = (id: string, extra: Partial<SceneReceiver> = {}) => ({ id, name: `Kiwi ${id} (sim)`, kind: 'kiwisdr', lat: 45 + Math.random() * 0.5, lon: 7 + Math.random() * 0.5, ...extra });

const sims = new Map<string, KiwiSim>();
let scene: Scene;

beforeAll(async () => {
  // The HTTP-redirect receiver points at a healthy one, so that one starts first.
  const target = sceneSchema.parse({ name: 't', transmitters: [tx], receivers: [rx('redirect-target')] });
  sims.set('redirect-target', await startKiwiSimServer({ scene: target, receiver: target.receivers[0]!, sampleRate: RATE }));
  scene = sceneSchema.parse({
    name: 'kiwi-faults',
    transmitters: [tx],
    receivers: [
      rx('ok-a'),
      rx('ok-b'),
      rx('http-redirect', { faults: [{ kind: 'http_redirect', to: sims.get('redirect-target')!.url }] }),
      ...FAULTS.map((f) => rx(f.id, { faults: f.faults, ...(f.password ? { password: f.password } : {}) })),
    ],
  });
  for (const r of scene.receivers) sims.set(r.id, await startKiwiSimServer({ scene, receiver: r, sampleRate: RATE }));
});
afterAll(async () => {
  for (const s of sims.values()) await s.close();
});

function run(id: string, password?: string) {
  const ch = new KiwiSdrChannel({ url: sims.get(id)!.url, password, freqHz: 7_100_000, mode: 'iq', identUser: 'heimdall-station TEST', waterfall: null });
  const blocks: KiwiSamples[] = [];
  const conditions: ReceiverCondition[] = [];
  let malformed = 0;
  ch.on('samples', (b) => blocks.push(b));
  ch.on('condition', (c) => conditions.push(c));
  ch.on('malformed', () => malformed++);
  const closed = new Promise<ReceiverCondition>((r) => ch.on('closed', r));
  ch.open();
  const timer = setTimeout(() => ch.close(), RUN_MS);
  return { id, blocks, conditions, malformed: () => malformed, closed: closed.finally(() => clearTimeout(timer)) };
}

/** IQ samples received vs the span their GPS stamps cover: equal to within one 512-sample frame. */
function expectCountMatchesGpsSpan(all: KiwiSamples[]) {
  const blocks = all.slice(1); // the first frame's stamp is stale, as a real KiwiSDR's is
  const samples = blocks.reduce((n, b) => n + b.samples.length / 2, 0);
  const spanSec = Number(blocks.at(-1)!.unixNs! - blocks[0]!.unixNs!) / 1e9;
  const expected = spanSec * RATE + blocks.at(-1)!.samples.length / 2;
  expect(Math.abs(samples - expected)).toBeLessThanOrEqual(512);
}

describe('KiwiSDR faults, all at once next to healthy receivers', () => {
  it('surfaces every fault as its typed condition while the healthy receivers stream on', async () => {
    const healthy = ['ok-a', 'ok-b', 'http-redirect'].map((id) => run(id));
    const faulty = FAULTS.map((f) => ({ f, r: run(f.id, f.password ? 'wrong' : undefined) }));
    const healthyEnd = await Promise.all(healthy.map((h) => h.closed));
    const faultyEnd = await Promise.all(faulty.map(({ r }) => r.closed));

    healthy.forEach((h, i) => {
      // Closed by us (the default 'streaming' last condition), never by a fault next door.
      expect(h.conditions.map((c) => c.code), h.id).toEqual(['connecting', 'streaming']);
      expect(healthyEnd[i]!.code, h.id).toBe('streaming');
      expect(h.blocks.length, h.id).toBeGreaterThan(100);
      expect(h.blocks.every((b, k) => k === 0 || b.seq === h.blocks[k - 1]!.seq + 1), h.id).toBe(true);
      expectCountMatchesGpsSpan(h.blocks);
    });

    faulty.forEach(({ f, r }, i) => {
      const end = faultyEnd[i]!;
      expect(r.conditions[0]?.code, f.id).toBe('connecting');
      if (f.expect === null) {
        expect(end.code, f.id).toBe('streaming');
        return;
      }
      f.expect(end);
      const sentence = describeCondition(end);
      expect(sentence.length, f.id).toBeGreaterThan(20);
    });

    // The malformed receiver kept streaming and reported what it could not read.
    const m = faulty.find(({ f }) => f.id === 'malformed')!.r;
    expect(m.malformed()).toBeGreaterThan(5);
    expect(m.blocks.length).toBeGreaterThan(100);
    expectCountMatchesGpsSpan(m.blocks);
    // The dropping receiver delivered data before it went.
    expect(faulty.find(({ f }) => f.id === 'drop')!.r.blocks.length).toBeGreaterThan(10);
    // What the wrong-rate receiver really streams at is measured, not taken from sample_rate.
    const wr = faultyEnd[FAULTS.findIndex((f) => f.id === 'wrong-rate')]!;
    expect(wr.code === 'wrong_rate' && Math.abs(wr.measuredHz - 11025) < 11025 * 1e-3).toBe(true);
  });

  it('never lets the station retry ip_limit, a bad password, a kick or a disabled receiver by itself', () => {
    const noRetry: ReceiverCondition[] = [{ code: 'ip_limit', minutes: 1440 }, { code: 'bad_password' }, { code: 'kicked', reason: 'kiwi kick' }, { code: 'disabled', reason: 'x' }];
    for (const c of noRetry) expect(retryPolicy(c), c.code).toEqual({ retry: false });
  });
});

describe('KiwiSDR faults through the capture path', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('records the healthy and redirected receivers completely while the others fail or back off with their codes', async () => {
    const ids = ['ok-a', 'ok-b', 'http-redirect', 'busy', 'ip-limit', 'disabled', 'wrong-rate'];
    const receivers = ids.map((id) => {
      const s = scene.receivers.find((x) => x.id === id)!;
      return { receiverId: id, name: s.name, kind: 'kiwisdr' as const, url: sims.get(id)!.url, lat: s.lat, lon: s.lon, alt: s.altM };
    });
    const states = new Map<string, LinkState[]>();
    const capture = startCapture({ receivers, freqHz: 7_100_000, mode: 'iq', identUser: 'heimdall-station TEST', durationSec: 2, outDir: tmp.dir, alignLeadMs: 1500, wantSpectrum: false }, silentLogger);
    capture.events.on('message', (m) => {
      if (m.t === 'state') states.set(m.receiverId, [...(states.get(m.receiverId) ?? []), m.state]);
    });
    // Receivers in backoff would wait out the grace period; stop once the healthy ones are done.
    const t0 = Date.now();
    const doneIds = new Set<string>();
    capture.events.on('message', (m) => {
      if (m.t === 'done') doneIds.add(m.summary.receiverId);
    });
    while (!['ok-a', 'ok-b', 'http-redirect', 'wrong-rate'].every((id) => doneIds.has(id)) && Date.now() - t0 < 25_000) await new Promise((r) => setTimeout(r, 100));
    const summaries = await capture.stop();
    const by = new Map(summaries.map((s) => [s.receiverId, s]));

    for (const id of ['ok-a', 'ok-b', 'http-redirect']) {
      expect(by.get(id), id).toMatchObject({ status: 'complete', samples: Math.round(2 * RATE), sampleRate: RATE, framesLost: 0 });
    }
    const codes = (id: string) => (states.get(id) ?? []).map((s) => s.code);
    expect(codes('busy')).toContain('too_busy');
    expect(states.get('busy')!.find((s) => s.code === 'too_busy')).toMatchObject({ phase: 'backoff', retryInMs: expect.any(Number) });
    expect(states.get('busy')!.find((s) => s.code === 'too_busy')!.retryInMs!).toBeGreaterThanOrEqual(15_000);
    expect(states.get('ip-limit')!.find((s) => s.code === 'ip_limit')).toMatchObject({ phase: 'failed' });
    expect(codes('ip-limit').filter((c) => c === 'connecting')).toHaveLength(1); // tried once, never again
    expect(states.get('disabled')!.find((s) => s.code === 'disabled')?.message).toMatch(/antenna maintenance/);
    // A receiver streaming at another rate than it announced must not end as a clean recording at the
    // announced rate: either its link reports wrong_rate or its summary is not 'complete'.
    const wrongRate = by.get('wrong-rate')!;
    expect(codes('wrong-rate').includes('wrong_rate') || wrongRate.status !== 'complete', `wrong-rate ended ${wrongRate.status} at ${wrongRate.sampleRate} Hz, states ${codes('wrong-rate').join(',')}`).toBe(true);
    for (const list of states.values()) for (const s of list) expect(s.message.length).toBeGreaterThan(5);
  }, 40_000);
});

describe('KiwiSDR link stall detection', () => {
  it('notices a connected receiver that stops sending and backs off, while a healthy link keeps streaming', async () => {
    const stall = sceneSchema.parse({ name: 's', transmitters: [tx], receivers: [rx('stall', { faults: [{ kind: 'stall_after', seconds: 0.5 }] })] });
    const stallSim = await startKiwiSimServer({ scene: stall, receiver: stall.receivers[0]!, sampleRate: RATE });
    try {
      const states: Record<string, LinkState[]> = { stall: [], ok: [] };
      let okSamplesAfterStall = 0;
      let stalled = false;
      const mk = (id: 'stall' | 'ok', url: string) =>
        kiwisdrLink({ receiverId: id, url, freqHz: 7_100_000, mode: 'iq', identUser: 'heimdall-station TEST', wantSpectrum: false });
      const links = { stall: mk('stall', stallSim.url), ok: mk('ok', sims.get('ok-a')!.url) };
      for (const id of ['stall', 'ok'] as const) {
        links[id].start({
          state: (s) => {
            states[id]!.push(s);
            if (id === 'stall' && s.code === 'stalled') stalled = true;
          },
          samples: () => {
            if (id === 'ok' && stalled) okSamplesAfterStall++;
          },
          spectrum: () => undefined,
          smeter: () => undefined,
        });
      }
      const t0 = Date.now();
      while ((!stalled || okSamplesAfterStall < 5) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 100));
      await links.stall.stop();
      await links.ok.stop();
      const s = states.stall!.find((x) => x.code === 'stalled');
      expect(s).toMatchObject({ phase: 'backoff' });
      expect(s!.message).toMatch(/No data/);
      expect(states.ok!.map((x) => x.code)).toEqual(['connecting', 'streaming']);
      expect(okSamplesAfterStall).toBeGreaterThanOrEqual(5);
    } finally {
      await stallSim.close();
    }
  }, 40_000);
});

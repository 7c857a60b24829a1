/**
 * Listening in Chromium against `serve --demo`: the speaker on a KiwiSDR card (IQ demodulated in
 * the station: the Biella beacon's Morse at the CW pitch), on an OpenWebRX card (its own NFM audio:
 * the Torino handheld's 1 kHz tone), on a recording session's card, and review playback of the
 * stored samples with the play cursor; latencies are printed.
 *
 * How it hears without a sound device: Chromium with no audio hardware runs its AudioContext on a
 * fake output that the browser clocks itself (44.1/48 kHz, currentTime advances normally), so the
 * page's audio graph runs exactly as it would with speakers. An init script taps that graph: any
 * node connected to the destination is also connected to AnalyserNodes this test reads. Playwright
 * launches Chromium with --autoplay-policy=no-user-gesture-required; the page still starts audio
 * from the speaker's click, as it must for a user.
 */
import { expect, test, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { createStationClient, type StationClient } from '../../shared/client';
import { createWsTransport, type SocketLike } from '../../shared/wsTransport';
import { startStationProcess, type StationProcess } from './stationProcess';

let station: StationProcess;
let api: StationClient;
test.beforeAll(async () => {
  station = await startStationProcess({ args: ['--demo'] });
  const u = new URL(station.url);
  api = createStationClient(createWsTransport(`ws://${u.host}/api/ws?token=${u.searchParams.get('token')}`, (x) => new WebSocket(x) as unknown as SocketLike, { reconnect: false }));
});
test.afterAll(async () => {
  api?.close();
  await station?.stop();
});

const SCREENS = 'test-results/screens';

interface TapSample {
  /** Page clock (Unix ms) of the reading. */
  t: number;
  /** RMS of the last 512 samples (about 11 ms) going to the speakers. */
  rms: number;
  /** Strongest frequency 100..4000 Hz and its level (dB), from an 8192-point spectrum. */
  peakHz: number;
  peakDb: number;
  /** Median level of that spectrum (dB): the noise. */
  medianDb: number;
}

/** Before any page script: every node connected to the speakers is also connected to our analysers. */
async function installTap(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __tap?: { log: TapSampleLike[]; ctx: BaseAudioContext } };
    interface TapSampleLike {
      t: number;
      rms: number;
      peakHz: number;
      peakDb: number;
      medianDb: number;
    }
    const connect = AudioNode.prototype.connect as (this: AudioNode, dest: AudioNode | AudioParam, ...rest: number[]) => AudioNode | void;
    (AudioNode.prototype as unknown as { connect: typeof connect }).connect = function (this: AudioNode, dest: AudioNode | AudioParam, ...rest: number[]) {
      const result = connect.call(this, dest, ...rest);
      if (dest instanceof AudioDestinationNode && !w.__tap) {
        const ctx = this.context;
        const spectrum = new AnalyserNode(ctx, { fftSize: 8192, smoothingTimeConstant: 0 });
        const level = new AnalyserNode(ctx, { fftSize: 512 });
        connect.call(this, spectrum);
        connect.call(this, level);
        const log: TapSampleLike[] = [];
        w.__tap = { log, ctx };
        const f = new Float32Array(spectrum.frequencyBinCount);
        const td = new Float32Array(level.fftSize);
        setInterval(() => {
          level.getFloatTimeDomainData(td);
          let sq = 0;
          for (const v of td) sq += v * v;
          spectrum.getFloatFrequencyData(f);
          const binHz = ctx.sampleRate / spectrum.fftSize;
          let best = Math.round(100 / binHz);
          for (let i = best; i < 4000 / binHz; i++) if (f[i]! > f[best]!) best = i;
          const sorted = Array.from(f.subarray(1, Math.round(5000 / binHz))).sort((a, b) => a - b);
          log.push({ t: Date.now(), rms: Math.sqrt(sq / td.length), peakHz: best * binHz, peakDb: f[best]!, medianDb: sorted[sorted.length >> 1]! });
          if (log.length > 3000) log.splice(0, 1000);
        }, 20);
      }
      return result;
    } as typeof connect;
  });
}

const tapLog = (page: Page, sinceMs = 0) => page.evaluate((since) => ((window as unknown as { __tap?: { log: TapSample[] } }).__tap?.log ?? []).filter((s) => s.t >= since), sinceMs);

/** Waits until the speakers carry a tone near `hz` for at least `ms`; returns those readings. */
async function waitForTone(page: Page, hz: number, tolHz: number, sinceMs: number, ms = 400, timeout = 16_000): Promise<TapSample[]> {
  let hits: TapSample[] = [];
  await expect
    .poll(
      async () => {
        const log = await tapLog(page, sinceMs);
        hits = log.filter((s) => Math.abs(s.peakHz - hz) <= tolHz && s.peakDb - s.medianDb > 30);
        return hits.length * 20;
      },
      { timeout, intervals: [250] },
    )
    .toBeGreaterThanOrEqual(ms);
  return hits;
}

/**
 * Key-up to sound: for each key-up of the transmitter's schedule (Unix s) with quiet speakers just
 * before it, the time until the speakers carry its tone. Includes the receiver's own buffering (a
 * KiwiSDR frame is 43 ms; OpenWebRX's demodulator and squelch), the station, the network, the
 * player's buffer, the device, and the tap's 20 ms polling.
 */
function keyUpToSoundMs(log: TapSample[], hz: number, tolHz: number, keyUps: number[]): number[] {
  const out: number[] = [];
  for (const k of keyUps) {
    const before = log.filter((s) => s.t >= k * 1000 - 300 && s.t < k * 1000);
    if (before.length < 10 || before.some((s) => s.rms > 0.04)) continue;
    const i = log.findIndex((s) => s.t >= k * 1000 && s.rms > 0.08);
    if (i < 0 || log[i]!.t > k * 1000 + 1500) continue;
    // The long spectrum window confirms a little later that the sound is the transmitter's tone.
    if (log.slice(i, i + 15).some((x) => Math.abs(x.peakHz - hz) <= tolHz && x.peakDb - x.medianDb > 30)) out.push(log[i]!.t - k * 1000);
  }
  return out;
}

/** Key-up times (Unix s) of a schedule between two page times. */
function keyUpsBetween(fromMs: number, toMs: number, periodSec: number, offsetSec: number): number[] {
  const out: number[] = [];
  for (let k = Math.ceil((fromMs / 1000 - offsetSec) / periodSec) * periodSec + offsetSec; k * 1000 < toMs; k += periodSec) out.push(k);
  return out;
}

const readoutLatency = (card: ReturnType<Page['getByTestId']>) => card.getByTestId('listen-readout').getAttribute('data-latency-ms');

/** The player's latency figure on a card over 3 s of listening: its median and its worst. */
async function steadyLatency(card: ReturnType<Page['getByTestId']>): Promise<{ median: number; max: number }> {
  const xs: number[] = [];
  for (let i = 0; i < 12; i++) {
    const v = await readoutLatency(card);
    if (v !== null) xs.push(Number(v));
    await card.page().waitForTimeout(250);
  }
  xs.sort((a, b) => a - b);
  return { median: xs[xs.length >> 1]!, max: xs[xs.length - 1]! };
}

test('speakers on KiwiSDR, OpenWebRX and recording cards, and review playback, carry the demo transmitters', async ({ page }) => {
  test.setTimeout(240_000);
  await installTap(page);
  await page.setViewportSize({ width: 1500, height: 1000 });
  await page.goto(station.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/Connected/);
  await page.keyboard.press('Alt+2');
  const boxes = page.getByRole('checkbox');
  await expect(page.getByRole('checkbox', { name: /KiwiSDR Aosta/ })).toBeVisible();

  // --- KiwiSDR in IQ at the beacon: the station demodulates, CW by default.
  for (const b of await boxes.all()) await b.uncheck();
  await page.getByRole('checkbox', { name: /KiwiSDR Aosta/ }).check();
  await page.getByLabel('Frequency (MHz)').fill('7.100');
  await page.getByLabel('Mode').selectOption('iq');
  await page.getByRole('button', { name: 'Start monitor' }).click();
  const kiwiCard = page.getByTestId('live-card').filter({ hasText: 'KiwiSDR Aosta' });
  await expect(kiwiCard.getByTestId('listen-readout')).toHaveText(/^CW -250…250 Hz · BFO 700 Hz/, { timeout: 15_000 });
  const t0 = Date.now();
  await kiwiCard.getByTestId('speaker').click();
  await expect(kiwiCard.getByTestId('speaker')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('audible-summary')).toHaveText('Listening to KiwiSDR Aosta (sim)');
  // The passband is shaded on the waterfall: the carrier +-250 Hz.
  await expect(kiwiCard.getByTestId('passband')).toHaveAttribute('data-mode', 'cw');
  // The beacon keys up at (t - 5) mod 10 = 0 and sends VVV: a 700 Hz tone, keyed.
  const kiwiTone = await waitForTone(page, 700, 12, t0);
  expect(kiwiTone.length).toBeGreaterThan(10);
  await expect.poll(() => readoutLatency(kiwiCard), { timeout: 5000 }).not.toBeNull();
  const kiwiLatency = await steadyLatency(kiwiCard);
  expect(kiwiLatency.median).toBeLessThan(300);
  // Morse, not a steady carrier: the next key-up starts with VVV, 12 elements, so the tone switches
  // on and off many times in its first 2.5 s.
  const nextKeyUpMs = (Math.floor((Date.now() / 1000 - 5) / 10) * 10 + 15) * 1000;
  await page.waitForTimeout(nextKeyUpMs + 2500 - Date.now());
  const kiwiLog = (await tapLog(page, nextKeyUpMs)).filter((x) => x.t < nextKeyUpMs + 2500);
  let switches = 0;
  for (let i = 1; i < kiwiLog.length; i++) if ((kiwiLog[i]!.rms > 0.08) !== (kiwiLog[i - 1]!.rms > 0.08)) switches++;
  expect(switches).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: `${SCREENS}/audio-live-kiwi.png` });
  // Another BFO is another pitch: the CW pitch field.
  await kiwiCard.getByLabel(/CW pitch/).fill('1000');
  await waitForTone(page, 1000, 12, Date.now() + 300, 300, 16_000);
  // M mutes everything.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('m');
  await expect(page.getByTestId('mute-all')).toHaveAttribute('aria-pressed', 'true');
  const mutedAt = Date.now() + 200;
  await page.waitForTimeout(1500);
  expect(Math.max(...(await tapLog(page, mutedAt)).map((s) => s.rms))).toBeLessThan(0.002);
  await page.keyboard.press('m');
  await expect(page.getByTestId('mute-all')).toHaveAttribute('aria-pressed', 'false');
  const kiwiKeyUp = keyUpToSoundMs(await tapLog(page, t0), 700, 12, keyUpsBetween(t0, Date.now(), 10, 5));

  // --- OpenWebRX in NFM at the handheld: the receiver's own audio.
  for (const b of await boxes.all()) await b.uncheck();
  await page.getByRole('checkbox', { name: 'Torino' }).check();
  await page.getByLabel('Frequency (MHz)').fill('145.500');
  await page.getByLabel('Mode').selectOption('nfm');
  await page.getByRole('button', { name: 'Retune' }).click();
  const owrxCard = page.getByTestId('live-card').filter({ hasText: 'Torino' });
  await expect(owrxCard.getByTestId('listen-readout')).toHaveText(/^NFM -4000…4000 Hz/, { timeout: 15_000 });
  const t1 = Date.now();
  await owrxCard.getByTestId('speaker').click();
  await expect(owrxCard.getByTestId('speaker')).toHaveAttribute('aria-pressed', 'true');
  const owrxTone = await waitForTone(page, 1000, 12, t1);
  expect(owrxTone.length).toBeGreaterThan(10);
  await expect.poll(() => readoutLatency(owrxCard), { timeout: 5000 }).not.toBeNull();
  const owrxLatency = await steadyLatency(owrxCard);
  expect(owrxLatency.median).toBeLessThan(300);
  await page.screenshot({ path: `${SCREENS}/audio-live-openwebrx.png` });
  // The handheld keys up at t mod 10 = 0: be listening through the next key-up, from the quiet before it.
  const vhfKeyUpMs = (Math.floor(Date.now() / 10_000) * 10 + 10) * 1000;
  await page.waitForTimeout(vhfKeyUpMs + 1500 - Date.now());
  const owrxKeyUp = keyUpToSoundMs(await tapLog(page, t1), 1000, 12, keyUpsBetween(t1, Date.now(), 10, 0));
  // The mode buttons re-tune OpenWebRX's demodulator: AM on an FM signal loses the tone.
  await owrxCard.getByRole('button', { name: 'AM', exact: true }).click();
  await expect(owrxCard.getByTestId('passband')).toHaveAttribute('data-mode', 'am');
  await expect(owrxCard.getByTestId('listen-readout')).toHaveText(/^AM /);
  await owrxCard.getByRole('button', { name: 'NFM', exact: true }).click();
  await expect(owrxCard.getByTestId('listen-readout')).toHaveText(/^NFM /);
  await page.getByRole('button', { name: 'Stop monitor' }).click();

  // --- A recording session (KiwiSDRs in IQ): the speaker on the recording view's card.
  const kiwiIds = (await api.listReceivers()).filter((r) => r.kind === 'kiwisdr').map((r) => r.id);
  const draft = await api.createSession({ name: 'Audio e2e', freqHz: 7_100_000, mode: 'iq', receiverIds: kiwiIds, durationSec: 16 });
  await page.keyboard.press('Alt+3');
  await api.startSession({ id: draft.id });
  await page.getByTestId('sessions-table').getByRole('button', { name: 'Audio e2e' }).click();
  const recCard = page.getByTestId('rec-card').filter({ hasText: 'KiwiSDR Asti' });
  await expect(recCard.getByTestId('listen-readout')).toHaveText(/^CW /, { timeout: 15_000 });
  const t2 = Date.now();
  await recCard.getByTestId('speaker').click();
  await waitForTone(page, 700, 12, t2);
  await page.screenshot({ path: `${SCREENS}/audio-recording.png` });

  // --- Review: the stored samples played back, with the play cursor on the timeline and the waterfall.
  const review = page.getByTestId('review-view');
  await expect(review).toBeVisible({ timeout: 40_000 });
  // The longest proposal is a whole key-up of the beacon (a recording can also start or end inside one).
  const segs = (await api.getSession({ id: draft.id })).segments;
  const seg = [...segs].sort((a, b) => b.endMs - b.startMs - (a.endMs - a.startMs))[0];
  expect(seg, 'the detector proposed the beacon key-up').toBeDefined();
  expect(seg!.endMs - seg!.startMs).toBeGreaterThan(3000);
  await page.getByRole('button', { name: `Segment ${segs.indexOf(seg!) + 1} (detector)` }).click();
  const player = page.getByTestId('review-player');
  await expect(player.getByTestId('review-waterfall')).toBeVisible();
  await expect(player.getByTestId('passband')).toHaveAttribute('data-mode', 'cw');
  const t3 = Date.now();
  await page.getByTestId('review-play').click();
  await expect(player).toHaveAttribute('data-playing', 'true');
  const reviewTone = await waitForTone(page, 700, 12, t3, 300, 10_000);
  expect(reviewTone.length).toBeGreaterThan(5);
  await expect(player).toHaveAttribute('data-start-latency-ms', /^\d+$/);
  const reviewStart = Number(await player.getAttribute('data-start-latency-ms'));
  expect(reviewStart).toBeLessThan(1000);
  // The cursor runs through the segment on the timeline and on the waterfall.
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-cursor-ms', /^\d+$/);
  const c1 = Number(await timeline.getAttribute('data-cursor-ms'));
  await page.waitForTimeout(700);
  const c2 = Number(await timeline.getAttribute('data-cursor-ms'));
  expect(c2 - c1).toBeGreaterThan(400);
  expect(c2).toBeGreaterThan(seg!.startMs - 1100);
  expect(c2).toBeLessThan(seg!.endMs + 1100);
  const wfOverlay = player.locator('canvas.review-wf-overlay');
  await expect(wfOverlay).toHaveAttribute('data-cursor-ms', /^\d+$/);
  const magenta = await wfOverlay.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 240 && data[i + 1]! < 90 && data[i + 2]! > 180) n++;
    return n;
  });
  expect(magenta).toBeGreaterThan(100);
  await page.screenshot({ path: `${SCREENS}/audio-review.png` });
  // A/B: B switches to the second receiver, still the beacon.
  await page.keyboard.press('b');
  await expect(player.getByTestId('review-B')).toHaveAttribute('aria-pressed', 'true');
  await waitForTone(page, 700, 12, Date.now() + 100, 200, 6000);

  // The passband on the review waterfall: drag its upper edge from +250 Hz to about +1500 Hz.
  const stack = player.locator('.review-wf-stack');
  const box = (await stack.boundingBox())!;
  const rate = 12001.135;
  const xOf = (offHz: number) => box.x + ((offHz + rate / 2) / rate) * box.width;
  const passband = player.getByTestId('passband');
  await expect(passband).toHaveAttribute('data-high-hz', '250');
  await page.mouse.move(xOf(250), box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(xOf(900), box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(xOf(1500), box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  const high = Number(await passband.getAttribute('data-high-hz'));
  expect(Math.abs(high - 1500)).toBeLessThan(60);
  await expect(passband).toHaveAttribute('data-low-hz', '-250');
  await expect(player.getByTestId('review-status')).toContainText(`CW -250…${high} Hz`);
  await player.screenshot({ path: `${SCREENS}/audio-review-passband.png` });

  const fmt = (xs: number[]) => (xs.length ? xs.map((x) => Math.round(x)).join(', ') : 'none seen');
  console.log(`audio latency, station arrival to speaker (player's measure over 3 s, median / worst): KiwiSDR IQ ${kiwiLatency.median} / ${kiwiLatency.max} ms, OpenWebRX ${owrxLatency.median} / ${owrxLatency.max} ms`);
  console.log(`audio latency, transmitter key-up to tone at the speaker (tap, 20 ms steps): KiwiSDR ${fmt(kiwiKeyUp)} ms; OpenWebRX ${fmt(owrxKeyUp)} ms`);
  console.log(`review playback: first sound ${reviewStart} ms after Play`);
});

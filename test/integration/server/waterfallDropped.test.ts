/**
 * The waterfall's `dropped`: the WebSocket binding drops display-only binary events for a client
 * that lags (past MAX_BUFFERED_BYTES queued), and the next batch delivered to that subscription for
 * the same receiver says how many rows went missing since the previous one.
 *
 * Real: the HTTP/WebSocket server (startServer, wsBinding), the waterfall stream of main/api/monitor.ts,
 * the ws client and the StationClient with its WebSocket transport. Stand-in: the rows come from a
 * fake monitor (a fan-out the test feeds) instead of a capture worker, because the point is what
 * the transport does with rows, and a live receiver could not produce 25 MB of rows on demand; the
 * API object holds only the monitor domain (the only one this test calls), hence the cast.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type StationApiImpl, type WaterfallBatch } from '../../../shared/api';
import { createStationClient } from '../../../shared/client';
import { createWsTransport, type SocketLike } from '../../../shared/wsTransport';
import { monitorApi } from '../../../main/api/monitor';
import { fanout } from '../../../main/base/events';
import { silentLogger } from '../../../main/base/log';
import { type MonitorService, type RowsMessage } from '../../../main/capture/monitorService';
import { startServer, WS_PATH, type RunningServer } from '../../../main/server/httpServer';
import { MAX_BUFFERED_BYTES } from '../../../main/server/wsBinding';
import { repoRoot } from '../../helpers/station';

const BINS = 1024;
const ROWS_PER_BATCH = 64;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: RunningServer | null = null;
const closers: (() => void)[] = [];
afterEach(async () => {
  closers.splice(0).forEach((c) => c());
  await server?.close();
  server = null;
});

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('waterfall rows dropped for a slow client', () => {
  it('are counted: a paused consumer sees dropped > 0, and rows delivered + dropped = rows produced', async () => {
    const rows = fanout<RowsMessage>();
    const idle = () => () => undefined;
    const monitor = { onRows: rows.on, onState: idle } as unknown as MonitorService;
    const impl = monitorApi({ monitor, sessions: { isRecording: () => false, onState: idle, onRows: idle } as never });
    server = await startServer({ api: impl as unknown as StationApiImpl, token: 'test-token-0123456789abcdef', rendererDir: path.join(repoRoot, 'out', 'renderer'), port: 0, log: silentLogger });

    let socket: WebSocket | null = null;
    const client = createStationClient(
      createWsTransport(`ws://127.0.0.1:${server.port}${WS_PATH}?token=test-token-0123456789abcdef`, (u) => (socket = new WebSocket(u)) as unknown as SocketLike, { reconnect: false }),
    );
    closers.push(() => client.close());
    const got: WaterfallBatch[] = [];
    closers.push(client.subscribe('waterfall', { receiverIds: ['kiwi'] }, (e) => got.push(e.header)));

    let produced = 0;
    let t = 0;
    const produce = () => {
      const times = Array.from({ length: ROWS_PER_BATCH }, () => t++);
      rows.emit({ t: 'rows', receiverId: 'kiwi', bins: BINS, startHz: 0, spanHz: 30e6, minDb: -120, maxDb: -20, times, data: new ArrayBuffer(ROWS_PER_BATCH * BINS) });
      // Another receiver's rows are not this subscription's and never count.
      rows.emit({ t: 'rows', receiverId: 'other', bins: BINS, startHz: 0, spanHz: 30e6, minDb: -120, maxDb: -20, times, data: new ArrayBuffer(ROWS_PER_BATCH * BINS) });
      produced += ROWS_PER_BATCH;
    };

    // The subscription is live once a batch comes back.
    await until('the subscription', () => {
      if (got.length === 0) produce();
      return got.length > 0;
    });
    // Batches produced before the station had the subscription reached no one: count from what arrived.
    await sleep(200);
    produced = got.reduce((n, b) => n + b.rows, 0);

    // The client stops reading; the station keeps producing about three times what it may queue.
    socket!.pause();
    const burst = Math.ceil((3 * MAX_BUFFERED_BYTES) / (ROWS_PER_BATCH * BINS));
    for (let i = 0; i < burst; i++) {
      produce();
      if (i % 16 === 0) await sleep(1);
    }
    socket!.resume();
    // Everything queued arrives, then one more batch carries the rows dropped since the last delivered one.
    let seen = -1;
    await until('the queue to drain', () => {
      const stable = got.length === seen;
      seen = got.length;
      return stable;
    });
    await sleep(200);
    produce();
    const last = t - 1;
    await until('the last batch', () => got.at(-1)?.times.at(-1) === last);

    const delivered = got.reduce((n, b) => n + b.rows, 0);
    const dropped = got.reduce((n, b) => n + b.dropped, 0);
    expect(got.every((b) => b.receiverId === 'kiwi')).toBe(true);
    expect(dropped).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(produced);
    expect(delivered + dropped).toBe(produced);
    // The count sits on the batch after the gap: its first row comes `dropped` rows after the previous batch's last.
    for (let i = 1; i < got.length; i++) expect(got[i]!.times[0]! - got[i - 1]!.times.at(-1)! - 1, `batch ${i}`).toBe(got[i]!.dropped);
  }, 60_000);
});

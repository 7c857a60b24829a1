/**
 * The Electron IPC binding, driven through a fake ipcMain/ipcRenderer pair (Electron itself cannot
 * run here). The fake pair passes messages through real Node MessagePorts, which clone messages
 * as Electron does; everything else (dispatch, bridge, client, core, SQLite) is the real code.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStationClient, type StationClient } from '../../../shared/client';
import { StationError } from '../../../shared/errors';
import { methodNames } from '../../../shared/api';
import { type StationTransport } from '../../../shared/transport';
import { bindStationIpc, type IpcMainLike, type MainPortLike } from '../../../electron/ipcMainBinding';
import { createStationBridge, type IpcRendererLike, type RendererPortLike } from '../../../electron/ipcRendererBridge';
import { createStation, type Station } from '../../../main/station';
import { silentLogger } from '../../../main/base/log';
import { resourcesDir } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';
import { analyseTone } from '../../helpers/toneAnalysis';
import { startOpenWebRxSimServer } from '../../../main/sim/openwebrx/server';
import { sceneSchema } from '../../../main/sim/scene';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

function fakeIpcPair() {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, (event: { ports: MainPortLike[] }, ...args: unknown[]) => void>();
  const ipcMain: IpcMainLike = {
    handle: (ch, fn) => void handlers.set(ch, fn),
    on: (ch, fn) => void listeners.set(ch, fn),
  };
  const asMainPort = (p: MessagePort): MainPortLike => ({
    postMessage: (m) => p.postMessage(m),
    on: (_e, l) => void p.on('close', l),
    start: () => p.start(),
    close: () => p.close(),
  });
  const ipcRenderer: IpcRendererLike = {
    invoke: async (ch, ...args) => {
      const h = handlers.get(ch);
      if (!h) throw new Error(`No handler registered for '${ch}'`);
      // Electron clones arguments and results; so does this.
      return structuredClone(await h({}, ...structuredClone(args)));
    },
    postMessage: (ch, message, transfer) => listeners.get(ch)?.({ ports: (transfer as MessagePort[]).map(asMainPort) }, structuredClone(message)),
    on: () => undefined,
    removeListener: () => undefined,
  };
  const newChannel = () => {
    const { port1, port2 } = new MessageChannel();
    const rendererPort: RendererPortLike = {
      set onmessage(fn: ((ev: { data: unknown }) => void) | null) {
        port1.removeAllListeners('message');
        if (fn) port1.on('message', (data) => fn({ data }));
      },
      get onmessage() {
        return null;
      },
      start: () => port1.start(),
      close: () => port1.close(),
    };
    return { port1: rendererPort, port2 };
  };
  return { ipcMain, ipcRenderer, newChannel };
}

let station: Station;
let client: StationClient;
let cleanup: () => void;

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  station = createStation({ dataDir: t.dir, resourcesDir, runtime: 'electron', log: silentLogger });
  const { ipcMain, ipcRenderer, newChannel } = fakeIpcPair();
  bindStationIpc(ipcMain, station.api, silentLogger);
  const bridge = createStationBridge(ipcRenderer, newChannel);
  // The same adapter the renderer uses (renderer/src/station/connect.ts) in its simplest form.
  const transport: StationTransport = {
    call: (method, input) => (bridge as unknown as Record<string, (i: unknown) => ReturnType<StationTransport['call']>>)[method]!(input),
    subscribe: (s, p, e, err) => bridge.subscribe(s, p, e, err),
  };
  client = createStationClient(transport);
});
afterAll(async () => {
  await station.close();
  cleanup();
});

describe('StationApi over the Electron IPC binding (fake ipc pair)', () => {
  it('exposes one named function per API method and nothing like raw ipcRenderer', () => {
    const { ipcRenderer, newChannel } = fakeIpcPair();
    const bridge = createStationBridge(ipcRenderer, newChannel);
    expect(Object.keys(bridge).sort()).toEqual([...methodNames, 'onMenuCommand', 'subscribe'].sort());
  });

  it('reaches the same API methods as the WebSocket transport', async () => {
    expect((await client.getStationInfo()).runtime).toBe('electron');
    const r = await client.createReceiver({ name: 'Torino', kind: 'openwebrx', url: 'http://vst-aero.it:8073/', password: 'pw-ipc-1' });
    expect(r.hasPassword).toBe(true);
    expect(JSON.stringify(await client.listReceivers())).not.toContain('pw-ipc-1');
    expect((await client.updateReceiver({ id: r.id, patch: { notes: 'mast' } })).notes).toBe('mast');
    expect(await client.deleteReceiver({ id: r.id })).toEqual({ deleted: true });
  });

  it('validates input in the main process and returns typed errors', async () => {
    const err = await client.createReceiver({ name: 'x', kind: 'sdrplay' as 'kiwisdr', url: 'http://a/' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StationError);
    expect(err).toMatchObject({ code: 'invalid_input' });
    await expect(client.deleteReceiver({ id: 'missing' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('streams events over a MessagePort and stops when the port closes', async () => {
    const seen: string[] = [];
    const off = client.subscribe('stationEvents', {}, (e) => seen.push(e.header.type));
    await new Promise((r) => setTimeout(r, 20));
    await client.updateSettings({ callsign: 'IU1XYZ' });
    await expect.poll(() => seen).toEqual(['settings.changed']);
    off();
    await new Promise((r) => setTimeout(r, 20));
    await client.updateSettings({ callsign: 'IU1XYZ' });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['settings.changed']);
  });

  it('carries the binary audio stream: live OpenWebRX audio arrives with its bytes and the 1 kHz tone', async () => {
    const scene = sceneSchema.parse({
      name: 'ipc-audio',
      transmitters: [{ id: 'ht', name: 'handheld', freqHz: 145_500_000, lat: 45.08, lon: 7.77, altM: 670, powerDbm: 37, modulation: 'nfm', schedule: { periodSec: 1, onSec: 1 } }],
      receivers: [{ id: 'owrx', name: 'Torino', kind: 'openwebrx', lat: 45.044, lon: 7.672, altM: 250, centerFreqHz: 145_000_000, sampleRateHz: 2_400_000 }],
    });
    const sim = await startOpenWebRxSimServer({ scene, receiver: scene.receivers[0]! });
    try {
      const r = await client.createReceiver({ name: 'Torino (sim)', kind: 'openwebrx', url: sim.url });
      await client.startMonitor({ receiverIds: [r.id], freqHz: 145_500_000, mode: 'nfm' });
      const samples: number[] = [];
      let headers = 0;
      const off = client.subscribe('audio', { receiverIds: [r.id] }, (e) => {
        headers++;
        expect(e.header.samples * 2).toBe(e.body!.byteLength);
        const v = new DataView(e.body!.buffer, e.body!.byteOffset, e.body!.byteLength);
        for (let i = 0; i < e.header.samples; i++) samples.push(v.getInt16(2 * i, true) / 32768);
      });
      await expect.poll(() => samples.length, { timeout: 10_000 }).toBeGreaterThan(24_000);
      off();
      await client.stopMonitor();
      expect(headers).toBeGreaterThan(10);
      expect(Math.abs(analyseTone(samples, 12000, { skip: 4000 }).freqHz - 1000)).toBeLessThan(1);
    } finally {
      await sim.close();
    }
  }, 20_000);

  it('reports an unknown stream as a typed error on the port', async () => {
    const errors: StationError[] = [];
    client.subscribe('noSuchStream' as 'stationEvents', {}, () => undefined, (e) => errors.push(e));
    await expect.poll(() => errors.map((e) => e.code)).toEqual(['unknown_method']);
  });
});

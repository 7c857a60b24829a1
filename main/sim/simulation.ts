/**
 * Starts a whole scene: one simulated server per receiver on its own 127.0.0.1 port, speaking the
 * receiver's real wire protocol.
 */
import { createReplayCache } from './kiwisdr/replay';
import { startKiwiSimServer } from './kiwisdr/server';
import { type Scene } from './scene';

export interface SimulatedReceiver {
  id: string;
  kind: 'kiwisdr' | 'openwebrx';
  url: string;
  port: number;
}

export interface Simulation {
  receivers: SimulatedReceiver[];
  close(): Promise<void>;
}

export interface SimulationOptions {
  host?: string;
  /** Per-protocol knobs the tests turn (shorter timeouts, other rates). */
  kiwi?: { sampleRate?: number; keepaliveTimeoutMs?: number; authTimeoutMs?: number };
  /** Load tests: every KiwiSDR replays the same few seconds of IQ and W/F, synthesized once. */
  replaySec?: number;
}

export async function startSimulation(scene: Scene, opts: SimulationOptions = {}): Promise<Simulation> {
  const servers: { id: string; kind: 'kiwisdr' | 'openwebrx'; url: string; port: number; close(): Promise<void> }[] = [];
  const replay = opts.replaySec ? createReplayCache(scene, opts.replaySec, -13) : undefined;
  try {
    for (const r of scene.receivers) {
      if (r.kind === 'kiwisdr') {
        const s = await startKiwiSimServer({ scene, receiver: r, host: opts.host, port: r.port, replay, ...opts.kiwi });
        servers.push({ id: r.id, kind: r.kind, url: s.url, port: s.port, close: () => s.close() });
      } else {
        const { startOpenWebRxSimServer } = await import('./openwebrxSim');
        const s = await startOpenWebRxSimServer({ scene, receiver: r, host: opts.host, port: r.port });
        servers.push({ id: r.id, kind: r.kind, url: s.url, port: s.port, close: () => s.close() });
      }
    }
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
  return {
    receivers: servers.map(({ id, kind, url, port }) => ({ id, kind, url, port })),
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/**
 * The one set-up of simulated receivers for tests: a simulation for a test file's lifetime, its
 * receivers registered in a station the way the Receivers page does it, and the events a receiver
 * client emits, collected until it closes.
 */
import { type EventEmitter } from 'node:events';
import { afterAll, beforeAll } from 'vitest';
import { type Scene } from '../../main/sim/scene';
import { startSimulation, type Simulation, type SimulationOptions } from '../../main/sim/simulation';
import { type StationClient } from '../../shared/client';

/** A simulation of `scene`, started before the file's tests and closed after them; call the getter inside tests. */
export function useSimulation(scene: Scene, opts: SimulationOptions = {}): () => Simulation {
  let sim: Simulation | undefined;
  beforeAll(async () => {
    sim = await startSimulation(scene, opts);
  });
  afterAll(async () => {
    await sim?.close();
  });
  return () => {
    if (!sim) throw new Error('the simulation has not started: use it inside a test or a beforeAll registered after useSimulation()');
    return sim;
  };
}

/** Adds every simulated receiver to the station through its API, at the scene's position; scene id -> receiver id. */
export async function addSimulatedReceivers(client: StationClient, sim: Simulation, scene: Scene): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const r of sim.receivers) {
    const s = scene.receivers.find((x) => x.id === r.id);
    if (!s) throw new Error(`the simulation serves receiver ${r.id}, which the scene does not have`);
    ids[r.id] = (await client.createReceiver({ name: s.name, kind: r.kind, url: r.url, lat: s.lat, lon: s.lon, alt: s.altM ?? null, active: true })).id;
  }
  return ids;
}

type Payload<E, K extends keyof E> = E[K] extends [infer A, ...unknown[]] ? A : never;
type Collected<E, K extends keyof E> = { [P in K]: Payload<E, P>[] } & { closed: Promise<Payload<E, 'closed' & keyof E>> };
/** What collectEvents needs of a receiver client (KiwiSdrChannel, OpenWebRxClient: typed EventEmitters). */
interface OpenableEmitter {
  on(name: string, listener: (v: unknown) => void): unknown;
  open(): void;
  close(): void;
}

/**
 * Opens `client` and collects each named event's payloads as they come; `closed` settles with the
 * 'closed' event's payload. With `seconds`, the client is closed after that long if it has not closed.
 * Curried so that the events map is named once and the names are checked against it:
 * `collectEvents<KiwiChannelEvents>()(channel, ['samples', 'condition'], 3)`.
 */
export const collectEvents =
  <E extends Record<keyof E, unknown[]>>() =>
  <K extends keyof E & string>(client: EventEmitter<E> & OpenableEmitter, names: readonly K[], seconds?: number): Collected<E, K> => {
    const emitter: OpenableEmitter = client;
    const out: Record<string, unknown[]> = {};
    for (const n of names) {
      const list: unknown[] = [];
      out[n] = list;
      emitter.on(n, (v) => list.push(v));
    }
    let timer: NodeJS.Timeout | undefined;
    const closed = new Promise<unknown>((resolve) => emitter.on('closed', resolve)).finally(() => clearTimeout(timer));
    emitter.open();
    if (seconds !== undefined) timer = setTimeout(() => emitter.close(), seconds * 1000);
    return { ...out, closed } as Collected<E, K>;
  };

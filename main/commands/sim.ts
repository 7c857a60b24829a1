/**
 * `heimdall-station sim [--scene file.json] [--demo]`: runs simulated KiwiSDR and OpenWebRX receivers
 * on 127.0.0.1 that speak the real wire protocols, so the station (and a browser pointed at them)
 * can be exercised without real receivers or a network.
 */
import fs from 'node:fs';
import { type Command } from 'commander';
import { invalidInput, StationError } from '../../shared/errors';
import { demoScene } from '../sim/demoScene';
import { sceneSchema, type Scene } from '../sim/scene';
import { tdoaCoverage } from '../sim/tdoaCoverage';
import { positiveArg } from './args';

/** Reads and validates a scene file; every failure names the file and what to fix. */
export function loadSceneFile(file: string): Scene {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new StationError('not_found', `Cannot read the scene file ${file} (${e instanceof Error ? e.message : String(e)}). Check the path.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StationError('invalid_input', `The scene file ${file} is not valid JSON (${e instanceof Error ? e.message : String(e)}). Fix the file and run again.`);
  }
  const parsed = sceneSchema.safeParse(json);
  if (!parsed.success) throw invalidInput(`The scene file ${file}`, parsed.error);
  return parsed.data;
}

/**
 * Per transmitter: where to tune, its modulation and when it keys, so a newcomer knows what to listen
 * for; then which KiwiSDRs could locate it by TDoA, or why none can.
 */
export function describeTransmitters(scene: Scene): string[] {
  return scene.transmitters.flatMap((t) => {
    const { periodSec, onSec } = t.schedule;
    const keyed = onSec >= periodSec ? 'always on' : `keyed ${onSec} s every ${periodSec} s`;
    const spread = t.spread ? `, phase spread ${t.spread.chipRateHz} chips/s ±${t.spread.deviationDeg}°` : '';
    const cover = tdoaCoverage(scene, t);
    const locate = cover.why
      ? `  not locatable by TDoA: ${cover.why}`
      : `  locatable by TDoA from ${cover.receivers.length} KiwiSDRs: ${cover.receivers.map((r) => r.name).join(', ')}`;
    return [`transmitter ${(t.freqHz / 1e6).toFixed(6)} MHz ${t.modulation.toUpperCase().padEnd(3)} ${t.name} (${t.lat.toFixed(3)}, ${t.lon.toFixed(3)}), ${keyed}${spread}`, locate];
  });
}

export interface SimCommandOptions {
  scene?: string;
  demo?: boolean;
  /** Seconds of IQ and W/F synthesized once and replayed by every KiwiSDR (load tests). */
  replay?: number;
}

/** Which scene the options ask for: a file, or the built-in demo (also when nothing is given). */
export function sceneForOptions(o: SimCommandOptions): Scene {
  if (o.scene && o.demo) throw new StationError('invalid_input', 'Give either --scene <file> or --demo, not both.');
  return o.scene ? loadSceneFile(o.scene) : demoScene();
}

export async function runSim(o: SimCommandOptions): Promise<void> {
  const scene = sceneForOptions(o);
  const { startSimulation } = await import('../sim/simulation');
  let sim: Awaited<ReturnType<typeof startSimulation>>;
  try {
    sim = await startSimulation(scene, o.replay ? { replaySec: o.replay } : {});
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const hint = /EADDRINUSE/.test(why) ? 'A port in the scene is taken: free it or set that receiver\'s port to 0.' : 'Nothing was left running; fix the cause above and run again.';
    throw new StationError('unavailable', `Could not start the simulation "${scene.name}": ${why} ${hint}`);
  }
  console.log(`Simulating "${scene.name}": ${scene.transmitters.length} transmitter(s), ${sim.receivers.length} receiver(s) on 127.0.0.1.`);
  const names = new Map(scene.receivers.map((r) => [r.id, r.name]));
  for (const r of sim.receivers) console.log(`${r.kind.padEnd(9)} ${r.id.padEnd(24)} ${r.url}  ${names.get(r.id) ?? ''}`);
  for (const line of describeTransmitters(scene)) console.log(line);
  console.log('Add these URLs as receivers (`heimdall-station receiver add <url>`, or Add receiver in the UI) and tune to a transmitter. Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sim.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run simulated KiwiSDR and OpenWebRX receivers on 127.0.0.1 (the built-in NW Italy demo scene unless --scene is given)')
    .option('--scene <file>', 'a scene JSON file: transmitters and receivers (see test/fixtures/scenes/ for examples)')
    .option('--demo', 'the built-in demo scene: 7 OpenWebRX + 5 KiwiSDR receivers in NW Italy', false)
    .option('--replay <seconds>', 'load tests: every KiwiSDR sends the same <seconds> of IQ and W/F, synthesized once (own seq and GPS stamps)', positiveArg('--replay'))
    .action(async (o: SimCommandOptions) => {
      await runSim(o);
    });
}

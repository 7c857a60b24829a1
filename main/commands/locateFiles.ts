/**
 * `locate <files or folders...>`: the recordings located in a DSP worker of this process, as the
 * station would locate them, without a station or a data directory (only --source reads the
 * known-source catalogue of one).
 */
import { type LocateResult } from '../../shared/domain/locate';
import { StationError } from '../../shared/errors';
import { createDspPool } from '../dsp/pool';
import { expandInputs } from '../import/importInputs';
import { locateInPool, type LocateJobSpec } from '../locate/locateJob';
import { type LocateCommandOptions } from './locate';
import { withLocalStation } from './localClient';
import { pickSource } from './source';

async function groundTruth(o: LocateCommandOptions): Promise<LocateJobSpec['source']> {
  if (o.sourceAt) return { name: 'the position given', ...o.sourceAt };
  if (!o.source) return null;
  const want = o.source;
  const s = await withLocalStation(o.dataDir, 'read', async ({ client }) => pickSource(await client.listKnownSources(), want));
  return { name: s.name, lat: s.lat, lon: s.lon };
}

export async function locateFiles(files: string[], o: LocateCommandOptions, progress: (phase: string, fraction: number) => void): Promise<LocateResult> {
  const inputs = expandInputs(files);
  const bad = inputs.flatMap((i) => ('error' in i ? [`${i.label}: ${i.error}`] : []));
  if (bad.length) throw new StationError('invalid_input', `Cannot locate: ${bad.join('; ')}.`);
  const spec: LocateJobSpec = {
    signals: inputs.flatMap((i) => ('path' in i ? [{ from: 'file' as const, path: i.path }] : [])),
    source: await groundTruth(o),
    ...(o.region ? { region: o.region } : {}),
    ...(o.step !== undefined ? { stepDeg: o.step } : {}),
  };
  const pool = createDspPool({ size: 1 });
  const job = locateInPool(pool, spec, progress);
  const onSigint = () => job.cancel();
  process.once('SIGINT', onSigint);
  try {
    return await job.result;
  } finally {
    process.off('SIGINT', onSigint);
    await pool.close();
  }
}

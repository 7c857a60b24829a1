import fs from 'node:fs';
import path from 'node:path';
import { receiverSetFileSchema, type ReceiverSetFile } from '../../shared/domain/receiver';
import { StationError, invalidInput } from '../../shared/errors';

/** Receiver sets shipped in resources/receivers/*.json, validated like any other file input. */
export function loadReceiverSets(resourcesDir: string): ReceiverSetFile[] {
  const dir = path.join(resourcesDir, 'receivers');
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return files.map((f) => {
    const file = path.join(dir, f);
    const parsed = receiverSetFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw invalidInput(`The receiver set ${file}`, parsed.error);
    return parsed.data;
  });
}

export function findReceiverSet(sets: ReceiverSetFile[], id: string): ReceiverSetFile {
  const set = sets.find((s) => s.id === id);
  if (!set) throw new StationError('not_found', `No receiver set "${id}". Known sets: ${sets.map((s) => s.id).join(', ') || 'none'}.`);
  return set;
}

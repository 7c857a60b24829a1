import { describe, expect, it } from 'vitest';
import { spawnWorker } from '../../../main/base/spawnWorker';

describe('spawnWorker', () => {
  it('runs a TypeScript worker module from the sources, with its workerData', async () => {
    const w = spawnWorker(new URL('../../fixtures/workers/answerWorker.ts', import.meta.url), 'answerWorker', { workerData: { base: 41 } });
    const answer = await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await w.terminate();
    expect(answer).toBe(42);
  });
});

/**
 * The central store for a test file's lifetime: a throwaway PostgreSQL and an S3 server (or the real
 * ones HEIMDALL_TEST_PG_URL / HEIMDALL_TEST_S3_* point at), started before the file's tests and
 * disposed of after them. `onReady` receives them (assign them to the file's variables).
 */
import { afterAll, beforeAll } from 'vitest';
import { startTestPostgres, type TestPostgres } from './pg';
import { startTestS3, type TestS3 } from './s3';

export interface CentralStore {
  pg: TestPostgres;
  s3: TestS3;
}

export function useCentralStore(onReady: (c: CentralStore) => void): void {
  let central: CentralStore | undefined;
  beforeAll(async () => {
    const [pg, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
    central = { pg, s3 };
    onReady(central);
  });
  afterAll(async () => {
    await Promise.all([central?.pg.dispose(), central?.s3.dispose()]);
  });
}

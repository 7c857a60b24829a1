/** Kept in step with package.json by test/unit/base/version.test.ts. */
export const STATION_VERSION = '0.1.0';

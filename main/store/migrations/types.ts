/** A forward-only schema step. Never edit a shipped migration: add the next number. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

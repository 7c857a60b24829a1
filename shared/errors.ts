import { z } from 'zod';

/** Error codes every transport carries unchanged, so the UI can choose what to tell the operator. */
export const stationErrorCodes = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  'unavailable',
  'unknown_method',
  'disk_full',
  'cancelled',
  'internal',
] as const;
export type StationErrorCode = (typeof stationErrorCodes)[number];

export const stationErrorSchema = z.object({
  code: z.enum(stationErrorCodes),
  message: z.string(),
  /** Field-level problems for invalid_input, so forms can point at the field. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type StationErrorData = z.infer<typeof stationErrorSchema>;

export class StationError extends Error {
  readonly code: StationErrorCode;
  readonly issues: StationErrorData['issues'];

  constructor(code: StationErrorCode, message: string, issues?: StationErrorData['issues']) {
    super(message);
    this.name = 'StationError';
    this.code = code;
    this.issues = issues;
  }

  toData(): StationErrorData {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }

  static fromData(data: StationErrorData): StationError {
    return new StationError(data.code, data.message, data.issues);
  }
}

export function isStationError(e: unknown): e is StationError {
  return e instanceof StationError;
}

/** Turns a zod failure into an invalid_input error whose message names every bad field. */
export function invalidInput(what: string, error: z.ZodError): StationError {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new StationError('invalid_input', `${what} is not valid (${summary}). Correct these fields and try again.`, issues);
}

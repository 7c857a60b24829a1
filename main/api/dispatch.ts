/**
 * The transport-independent half of every binding: validate input with the contract, run the
 * implementation, validate (and so strip) the output, turn any failure into a typed error.
 * electron/ipc.ts and main/server/wsBinding.ts both call these and know no method by name.
 */
import { isMethodName, isStreamName, methods, streams, type StationApiImpl, type StreamName } from '../../shared/api';
import { StationError, invalidInput, isStationError, type StationErrorData } from '../../shared/errors';
import { type CallResult } from '../../shared/transport';
import { type Logger } from '../base/log';

export function toErrorData(e: unknown, log?: Logger, context?: string): StationErrorData {
  if (isStationError(e)) return e.toData();
  log?.error(`${context ?? 'request'} failed unexpectedly`, e);
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `The station hit an unexpected error (${message}). The details are in the station log; try again, and report it if it repeats.` };
}

export async function dispatchCall(impl: StationApiImpl, method: string, rawInput: unknown, log?: Logger): Promise<CallResult> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `The station has no method "${method}". Update the app and the station to the same version.` } };
  }
  const def = methods[method];
  const input = def.input.safeParse(rawInput ?? {});
  if (!input.success) return { ok: false, error: invalidInput(`The input of ${method}`, input.error).toData() };
  try {
    const fn = impl[method] as (input: unknown) => unknown;
    const value = await fn(input.data);
    const output = def.output.safeParse(value);
    if (!output.success) {
      throw new StationError('internal', `The station produced an invalid reply to ${method} (${output.error.message}).`);
    }
    return { ok: true, value: output.data };
  } catch (e) {
    return { ok: false, error: toErrorData(e, log, method) };
  }
}

/** Sends one event; returns false when the transport dropped it instead (see StreamEmit in shared/api/define.ts). */
export type EmitFn = (header: unknown, body?: Uint8Array) => boolean | void;

/** Starts a stream; returns an error instead of throwing so transports can answer in their own way. */
export function dispatchSubscribe(
  impl: StationApiImpl,
  stream: string,
  rawParams: unknown,
  emit: EmitFn,
  signal: AbortSignal,
  log?: Logger,
): StationErrorData | null {
  if (!isStreamName(stream)) {
    return { code: 'unknown_method', message: `The station has no stream "${stream}". Update the app and the station to the same version.` };
  }
  const def = streams[stream];
  const params = def.params.safeParse(rawParams ?? {});
  if (!params.success) return invalidInput(`The parameters of stream ${stream}`, params.error).toData();
  try {
    const start = impl.streams[stream] as (p: unknown, e: (ev: { header: unknown; body?: Uint8Array }) => boolean | void, s: AbortSignal) => void;
    start(params.data, (ev) => emit(ev.header, ev.body), signal);
    return null;
  } catch (e) {
    return toErrorData(e, log, `stream ${stream satisfies StreamName}`);
  }
}

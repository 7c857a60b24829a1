/**
 * The StationApi contract: every method (name -> zod input, zod output) and every stream
 * (name -> params, event header, whether events carry a binary body). Each domain declares its
 * part in shared/api/<domain>.ts; this file merges them (refusing a name two domains declare) into
 * the one contract both transports and the core are generic over. Adding a method is one entry in
 * its domain file plus its implementation in main/api/<domain>.ts.
 */
import { type z } from 'zod';
import * as audio from './api/audio';
import * as datasets from './api/datasets';
import { mergeDomainMaps, type DomainImpl as DomainImplOf } from './api/define';
import * as health from './api/health';
import * as locate from './api/locate';
import * as monitor from './api/monitor';
import * as receivers from './api/receivers';
import * as sessions from './api/sessions';
import * as settings from './api/settings';
import * as sources from './api/sources';
import * as station from './api/station';
import * as sync from './api/sync';

export { method, stream, type DomainImpl, type StreamEmit } from './api/define';
export { stationInfoSchema, stationEventSchema, type StationInfo, type StationEvent } from './api/station';
export { receiverSetSummarySchema } from './api/receivers';
export { waterfallBatchSchema, type WaterfallBatch } from './api/monitor';

/** The contract by domain: what each shared/api/<domain>.ts declares (main/api/<domain>.ts implements each). */
export const apiDomains = { station, receivers, health, monitor, settings, sync, sources, sessions, datasets, locate, audio } as const;

export const methods = mergeDomainMaps(apiDomains, 'methods');
export const streams = mergeDomainMaps(apiDomains, 'streams');

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export type Streams = typeof streams;
export type StreamName = keyof Streams;
export type StreamParams<S extends StreamName> = z.input<Streams[S]['params']>;
export type StreamParsedParams<S extends StreamName> = z.output<Streams[S]['params']>;
export type StreamHeader<S extends StreamName> = z.output<Streams[S]['header']>;
/** One event of a stream: a validated JSON header and, for binary streams, the bytes. */
export interface StreamEvent<S extends StreamName> {
  header: StreamHeader<S>;
  body?: Uint8Array;
}

export const methodNames = Object.keys(methods) as MethodName[];
export const streamNames = Object.keys(streams) as StreamName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
export function isStreamName(name: string): name is StreamName {
  return Object.prototype.hasOwnProperty.call(streams, name);
}

/** What main/api/ implements: each method gets its parsed input; each stream pushes events until aborted. */
export type StationApiImpl = DomainImplOf<{ methods: Methods; streams: Streams }>;

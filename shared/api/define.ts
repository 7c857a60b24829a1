/**
 * The pieces every domain of the StationApi contract is written with (shared/api/<domain>.ts),
 * and the merge that makes them one contract (shared/api.ts). Kept apart from shared/api.ts so a
 * domain file never imports the merged contract (no import cycle).
 */
import { z } from 'zod';

export const empty = z.object({}).strict().default({});
export const idInput = z.object({ id: z.string().min(1) });

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  doc: string;
}
export interface StreamDef<P extends z.ZodType = z.ZodType, H extends z.ZodType = z.ZodType> {
  params: P;
  header: H;
  binary: boolean;
  doc: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string): MethodDef<I, O> {
  return { input, output, doc };
}

export function stream<P extends z.ZodType, H extends z.ZodType>(params: P, header: H, binary: boolean, doc: string): StreamDef<P, H> {
  return { params, header, binary, doc };
}

/** What one shared/api/<domain>.ts exports: its part of the methods and of the streams. */
export interface ApiDomain {
  methods: Record<string, MethodDef>;
  streams: Record<string, StreamDef>;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/**
 * Merges the domains' maps into one. A spread would let a later domain silently replace an
 * earlier one's entry of the same name; this refuses it, at load time, naming both domains.
 */
export function mergeDomainMaps<K extends 'methods' | 'streams', D extends Record<string, ApiDomain>>(domains: D, kind: K): UnionToIntersection<D[keyof D][K]> {
  const merged: Record<string, unknown> = {};
  const owner = new Map<string, string>();
  for (const [domain, part] of Object.entries(domains)) {
    for (const [name, def] of Object.entries(part[kind])) {
      const first = owner.get(name);
      if (first !== undefined) throw new Error(`The StationApi ${kind === 'methods' ? 'method' : 'stream'} "${name}" is declared by two domains, ${first} and ${domain}: rename one.`);
      owner.set(name, domain);
      merged[name] = def;
    }
  }
  return merged as UnionToIntersection<D[keyof D][K]>;
}

/** The implementation of one domain's methods (main/api/<domain>.ts returns these). */
export type MethodsImpl<M extends Record<string, MethodDef>> = {
  [K in keyof M]: (input: z.output<M[K]['input']>) => Promise<z.output<M[K]['output']>> | z.output<M[K]['output']>;
};
/** The implementation of one domain's streams: each pushes events until aborted. */
export type StreamsImpl<S extends Record<string, StreamDef>> = {
  [K in keyof S]: (params: z.output<S[K]['params']>, emit: StreamEmit<{ header: z.output<S[K]['header']>; body?: Uint8Array }>, signal: AbortSignal) => void;
};
/**
 * Hands one event to the transport. It returns false when the transport dropped the event instead
 * of sending it (the WebSocket binding drops binary events for a client that lags), so a stream can
 * say so in its next event (the waterfall's `dropped`); anything else means it went out.
 */
export type StreamEmit<E> = (event: E) => boolean | void;
/** What main/api/<domain>.ts returns for a domain of the contract. */
export type DomainImpl<D extends ApiDomain> = MethodsImpl<D['methods']> & { streams: StreamsImpl<D['streams']> };

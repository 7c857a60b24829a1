import {
  methods,
  methodNames,
  streams,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type StreamEvent,
  type StreamName,
  type StreamParams,
} from './api';
import { StationError, stationErrorSchema, type StationErrorData } from './errors';
import { type ConnectionState, type StationTransport } from './transport';

export type StationMethods = {
  [M in MethodName]: (input?: MethodInput<M>) => Promise<MethodOutput<M>>;
};

export interface StationClient extends StationMethods {
  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    onEvent: (event: StreamEvent<S>) => void,
    onError?: (error: StationError) => void,
  ): () => void;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

function protocolError(what: string, detail: string): StationError {
  return new StationError('internal', `The station sent ${what} that does not match the API contract (${detail}). Update the app and the station to the same version.`);
}

/** One typed client over any transport: the renderer never knows which one it has. */
export function createStationClient(transport: StationTransport): StationClient {
  const named = {} as Record<MethodName, (input?: unknown) => Promise<unknown>>;
  for (const name of methodNames) {
    named[name] = async (input?: unknown) => {
      const result = await transport.call(name, input ?? {});
      if (!result.ok) {
        const parsed = stationErrorSchema.safeParse(result.error);
        throw parsed.success ? StationError.fromData(parsed.data) : protocolError('an error', String(parsed.error.message));
      }
      const out = methods[name].output.safeParse(result.value);
      if (!out.success) throw protocolError(`a reply to ${name}`, out.error.message);
      return out.data;
    };
  }

  const subscribe = <S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    onEvent: (event: StreamEvent<S>) => void,
    onError?: (error: StationError) => void,
  ) => {
    const def = streams[stream];
    return transport.subscribe(
      stream,
      params,
      (header, body) => {
        const parsed = def.header.safeParse(header);
        if (!parsed.success) {
          onError?.(protocolError(`a ${stream} event`, parsed.error.message));
          return;
        }
        onEvent(body ? ({ header: parsed.data, body } as StreamEvent<S>) : ({ header: parsed.data } as StreamEvent<S>));
      },
      (error: StationErrorData) => onError?.(StationError.fromData(error)),
    );
  };

  return {
    ...(named as unknown as StationMethods),
    subscribe,
    onConnectionChange: (listener) => transport.onConnectionChange?.(listener) ?? (listener('open'), () => undefined),
    close: () => transport.close?.(),
  };
}

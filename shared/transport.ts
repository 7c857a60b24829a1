import { type StationErrorData } from './errors';

/**
 * What a transport moves: untyped calls and subscriptions. The typed StationClient
 * (shared/client.ts) sits on top and validates everything that comes back.
 */
export interface StationTransport {
  call(method: string, input: unknown): Promise<CallResult>;
  subscribe(
    stream: string,
    params: unknown,
    onEvent: (header: unknown, body: Uint8Array | undefined) => void,
    onError: (error: StationErrorData) => void,
  ): () => void;
  /** Connection state for the status bar; transports that cannot drop report 'open' only. */
  onConnectionChange?(listener: (state: ConnectionState) => void): () => void;
  close?(): void;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export type CallResult = { ok: true; value: unknown } | { ok: false; error: StationErrorData };

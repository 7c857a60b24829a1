/**
 * The StationTransport over a WebSocket, for browsers (window.WebSocket) and Node tests (the `ws`
 * package): the constructor is injected so this file stays pure. Reconnects with backoff and
 * re-subscribes; calls made while disconnected fail at once with 'unavailable'.
 */
import { type StationErrorData } from './errors';
import { type CallResult, type ConnectionState, type StationTransport } from './transport';
import { decodeBinaryEvent, serverMessageSchema, type ClientMessage } from './wire';

export interface SocketLike {
  binaryType: string;
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

interface Subscription {
  stream: string;
  params: unknown;
  onEvent: (header: unknown, body: Uint8Array | undefined) => void;
  onError: (error: StationErrorData) => void;
}

const OPEN = 1;
const unavailable = (why: string): StationErrorData => ({
  code: 'unavailable',
  message: `The station is not reachable (${why}). Check that it is still running; the UI reconnects by itself.`,
});

export function createWsTransport(url: string, connect: SocketFactory, opts: { reconnect?: boolean } = {}): StationTransport {
  const reconnect = opts.reconnect ?? true;
  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let retryMs = 250;
  let closedByUser = false;
  let opened: Promise<void>;
  let resolveOpened: () => void = () => undefined;
  const pending = new Map<number, (r: CallResult) => void>();
  const subs = new Map<number, Subscription>();
  const listeners = new Set<(s: ConnectionState) => void>();

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of listeners) l(s);
  };
  const send = (m: ClientMessage) => socket?.send(JSON.stringify(m));

  const handleText = (text: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = serverMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.t === 'result') {
      const done = pending.get(m.id);
      pending.delete(m.id);
      done?.(m.ok ? { ok: true, value: m.value } : { ok: false, error: m.error });
    } else if (m.t === 'event') {
      subs.get(m.id)?.onEvent(m.header, undefined);
    } else if (m.t === 'suberror') {
      subs.get(m.id)?.onError(m.error);
      subs.delete(m.id);
    }
  };

  const open = () => {
    opened = new Promise((r) => (resolveOpened = r));
    setState('connecting');
    const ws = connect(url);
    socket = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      retryMs = 250;
      setState('open');
      for (const [id, s] of subs) send({ t: 'sub', id, stream: s.stream, params: s.params });
      resolveOpened();
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') handleText(ev.data);
      else if (ev.data instanceof ArrayBuffer) {
        const decoded = decodeBinaryEvent(new Uint8Array(ev.data));
        if (decoded) subs.get(decoded.subId)?.onEvent(decoded.header, decoded.body);
      }
    };
    ws.onerror = () => undefined;
    ws.onclose = () => {
      socket = null;
      for (const done of pending.values()) done({ ok: false, error: unavailable('connection closed') });
      pending.clear();
      setState('closed');
      if (reconnect && !closedByUser) {
        setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      }
    };
  };
  open();

  return {
    async call(method, input) {
      if (state === 'connecting') await Promise.race([opened, new Promise((r) => setTimeout(r, 5000))]);
      if (!socket || socket.readyState !== OPEN) return { ok: false, error: unavailable('no connection') };
      const id = nextId++;
      return new Promise<CallResult>((resolve) => {
        pending.set(id, resolve);
        send({ t: 'call', id, method, input });
      });
    },
    subscribe(stream, params, onEvent, onError) {
      const id = nextId++;
      subs.set(id, { stream, params, onEvent, onError });
      if (socket?.readyState === OPEN) send({ t: 'sub', id, stream, params });
      return () => {
        subs.delete(id);
        if (socket?.readyState === OPEN) send({ t: 'unsub', id });
      };
    },
    onConnectionChange(listener) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
    close() {
      closedByUser = true;
      socket?.close();
    },
  };
}

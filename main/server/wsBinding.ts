import { type WebSocket } from 'ws';
import { type StationApiImpl } from '../../shared/api';
import { clientMessageSchema, encodeBinaryEvent, type ServerMessage } from '../../shared/wire';
import { dispatchCall, dispatchSubscribe } from '../api/dispatch';
import { type Logger } from '../base/log';

/** Past this many queued bytes a slow client loses display-only (binary) events, never replies. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Carries the StationApi over one WebSocket; knows no method by name. */
export function bindWebSocket(ws: WebSocket, api: StationApiImpl, log: Logger): void {
  const subscriptions = new Map<number, AbortController>();
  const send = (m: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ t: 'error', error: { code: 'invalid_input', message: 'The station accepts only JSON text messages from clients.' } });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      send({ t: 'error', error: { code: 'invalid_input', message: 'The message was not valid JSON. Use the StationClient, or follow shared/wire.ts.' } });
      return;
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      send({ t: 'error', error: { code: 'invalid_input', message: `The message does not follow the wire format (${parsed.error.issues[0]?.message ?? 'unknown'}).` } });
      return;
    }
    const msg = parsed.data;
    if (msg.t === 'call') {
      void dispatchCall(api, msg.method, msg.input, log).then((result) => send({ t: 'result', id: msg.id, ...result }));
    } else if (msg.t === 'sub') {
      subscriptions.get(msg.id)?.abort();
      const ac = new AbortController();
      subscriptions.set(msg.id, ac);
      const err = dispatchSubscribe(
        api,
        msg.stream,
        msg.params,
        (header, body) => {
          if (ac.signal.aborted || ws.readyState !== ws.OPEN) return;
          if (body) {
            // Dropped, not queued: the stream hears it (false) and counts it in its next event (the waterfall's `dropped`).
            if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return false;
            ws.send(encodeBinaryEvent(msg.id, header, body));
          } else {
            send({ t: 'event', id: msg.id, header });
          }
          return true;
        },
        ac.signal,
        log,
      );
      if (err) {
        subscriptions.delete(msg.id);
        send({ t: 'suberror', id: msg.id, error: err });
      }
    } else {
      subscriptions.get(msg.id)?.abort();
      subscriptions.delete(msg.id);
    }
  });

  ws.on('close', () => {
    for (const ac of subscriptions.values()) ac.abort();
    subscriptions.clear();
  });
}

import { type DomainImpl } from '../../shared/api/define';
import type * as monitor from '../../shared/api/monitor';
import { type MonitorService, type RowsMessage } from '../capture/monitorService';
import { type SessionService } from '../sessions/sessionService';

export function monitorApi(s: { monitor: MonitorService; sessions: Pick<SessionService, 'onState' | 'onRows'> }): DomainImpl<typeof monitor> {
  return {
    startMonitor: (input) => s.monitor.start(input),
    stopMonitor: () => s.monitor.stop(),
    getMonitor: () => s.monitor.status(),
    streams: {
      receiverStates: (_params, emit, signal) => {
        const off = s.monitor.onState((c) => emit({ header: c }));
        const offSession = s.sessions.onState((c) => emit({ header: c }));
        signal.addEventListener('abort', () => (off(), offSession()), { once: true });
      },
      waterfall: ({ receiverIds }, emit, signal) => {
        const wanted = receiverIds.length ? new Set(receiverIds) : null;
        // Rows the transport dropped for this subscriber, per receiver, told in its next delivered batch.
        const dropped = new Map<string, number>();
        // Rows of the Live monitor and of a recording session share the stream: the UI shows whichever runs.
        const onRows = (m: RowsMessage) => {
          if (wanted && !wanted.has(m.receiverId)) return;
          const rows = m.times.length;
          const before = dropped.get(m.receiverId) ?? 0;
          const sent = emit({
            header: { receiverId: m.receiverId, rows, bins: m.bins, startHz: m.startHz, spanHz: m.spanHz, minDb: m.minDb, maxDb: m.maxDb, times: m.times, dropped: before },
            body: new Uint8Array(m.data),
          });
          dropped.set(m.receiverId, sent === false ? before + rows : 0);
        };
        const off = s.monitor.onRows(onRows);
        const offSession = s.sessions.onRows(onRows);
        signal.addEventListener('abort', () => (off(), offSession()), { once: true });
      },
    },
  };
}

import { type DomainImpl } from '../../shared/api/define';
import type * as monitor from '../../shared/api/monitor';
import { StationError } from '../../shared/errors';
import { type MonitorService, type RowsMessage } from '../capture/monitorService';
import { type SessionService } from '../sessions/sessionService';

export function monitorApi(s: { monitor: MonitorService; sessions: Pick<SessionService, 'isRecording' | 'onState' | 'onRows'> }): DomainImpl<typeof monitor> {
  return {
    startMonitor: (input) => {
      // One user of the receivers' slots at a time: a recording session must not lose its links.
      if (s.sessions.isRecording()) throw new StationError('conflict', 'A session is recording on the receivers. Watch it on the Sessions page, or stop the session before starting the live monitor.');
      return s.monitor.start(input);
    },
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
        // Rows of the Live monitor and of a recording session share the stream: the UI shows whichever runs.
        const onRows = (m: RowsMessage) => {
          if (wanted && !wanted.has(m.receiverId)) return;
          emit({
            header: { receiverId: m.receiverId, rows: m.times.length, bins: m.bins, startHz: m.startHz, spanHz: m.spanHz, minDb: m.minDb, maxDb: m.maxDb, times: m.times, dropped: 0 },
            body: new Uint8Array(m.data),
          });
        };
        const off = s.monitor.onRows(onRows);
        const offSession = s.sessions.onRows(onRows);
        signal.addEventListener('abort', () => (off(), offSession()), { once: true });
      },
    },
  };
}

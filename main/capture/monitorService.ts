import { fanout } from '../base/events';
import { type CaptureMode, type LinkStateData, type MonitorStatus } from '../../shared/domain/monitor';
import { StationError } from '../../shared/errors';
import { type Logger } from '../base/log';
import { type ReceiverRegistry } from '../receivers/registry';
import { startCapture, type CaptureRun } from './captureEngine';
import { type WorkerMessage } from './workerProtocol';

export type RowsMessage = Extract<WorkerMessage, { t: 'rows' }>;
/** A capture run the operator can listen to: what it captures, and spec null once it has ended. */
export interface LiveRunEvent {
  run: CaptureRun;
  spec: { mode: string; passband: { lowHz: number; highHz: number } | null; receivers: { receiverId: string; kind: 'kiwisdr' | 'openwebrx'; name: string }[] } | null;
}
export interface ReceiverStateChange {
  receiverId: string;
  state?: LinkStateData;
  smeterDbm?: number;
}

/**
 * The Live page's monitor: one open-ended capture job (nothing written to disk) whose display rows
 * and link states fan out to every subscriber. Starting a new monitor replaces the old one.
 */
/**
 * `busy` says why the receivers' slots are taken by someone else (a recording session), or null: one
 * user of the links at a time, so a recording never loses its receivers to the live monitor.
 */
export function createMonitorService(deps: { receivers: ReceiverRegistry; identUser: () => string; log: Logger; busy?: () => string | null }) {
  let run: CaptureRun | null = null;
  let current: { freqHz: number; mode: CaptureMode; startedAt: string } | null = null;
  const states = new Map<string, { name: string; kind: 'kiwisdr' | 'openwebrx'; state: LinkStateData; smeterDbm: number | null }>();
  const rows = fanout<RowsMessage>();
  const stateFanout = fanout<ReceiverStateChange>();
  const runs = fanout<LiveRunEvent>();

  const status = (): MonitorStatus => ({
    running: run !== null,
    runId: run?.id ?? null,
    freqHz: current?.freqHz ?? null,
    mode: current?.mode ?? null,
    startedAt: current?.startedAt ?? null,
    receivers: [...states].map(([receiverId, s]) => ({ receiverId, name: s.name, kind: s.kind, state: s.state, smeterDbm: s.smeterDbm })),
  });

  const stop = async (): Promise<MonitorStatus> => {
    const r = run;
    run = null;
    current = null;
    if (r) runs.emit({ run: r, spec: null });
    if (r) await r.stop();
    states.clear();
    return status();
  };

  return {
    status,
    stop,
    async start(input: { receiverIds: string[]; freqHz: number; mode: CaptureMode }): Promise<MonitorStatus> {
      const busy = deps.busy?.();
      if (busy) throw new StationError('conflict', busy);
      const chosen = input.receiverIds.map((id) => deps.receivers.get(id));
      if (input.mode === 'iq') {
        const owrx = chosen.filter((r) => r.kind === 'openwebrx');
        if (owrx.length) {
          throw new StationError(
            'invalid_input',
            `OpenWebRX receivers cannot deliver IQ (${owrx.map((r) => r.name).join(', ')}). Choose a demodulated mode, or only KiwiSDR receivers for IQ.`,
          );
        }
      }
      await stop();
      for (const r of chosen) states.set(r.id, { name: r.name, kind: r.kind, state: { phase: 'connecting', code: 'connecting', message: `Connecting to ${r.url}` }, smeterDbm: null });
      const started = startCapture(
        {
          receivers: chosen.map((r) => ({ receiverId: r.id, name: r.name, kind: r.kind, url: r.url, password: deps.receivers.password(r.id), lat: r.lat, lon: r.lon, alt: r.alt })),
          freqHz: input.freqHz,
          mode: input.mode,
          identUser: deps.identUser(),
          durationSec: null,
          outDir: null,
          alignLeadMs: 0,
        },
        deps.log,
      );
      run = started;
      current = { freqHz: input.freqHz, mode: input.mode, startedAt: new Date().toISOString() };
      runs.emit({ run: started, spec: { mode: input.mode, passband: null, receivers: chosen.map((r) => ({ receiverId: r.id, kind: r.kind, name: r.name })) } });
      started.events.on('message', (m) => {
        if (run !== started) return;
        if (m.t === 'rows') rows.emit(m);
        else if (m.t === 'state' || m.t === 'smeter') {
          const s = states.get(m.receiverId);
          if (!s) return;
          const change: ReceiverStateChange = { receiverId: m.receiverId };
          if (m.t === 'state') s.state = change.state = m.state;
          else s.smeterDbm = change.smeterDbm = m.dbm;
          stateFanout.emit(change);
        }
      });
      return status();
    },
    onRows: rows.on,
    onState: stateFanout.on,
    /** Runs starting and ending (for listening). */
    onRun: runs.on,
  };
}
export type MonitorService = ReturnType<typeof createMonitorService>;

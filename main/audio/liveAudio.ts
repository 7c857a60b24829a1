/**
 * Live listening on the main thread: which receivers someone listens to (only those are tapped in
 * the capture workers), their demodulator settings, and the routing of blocks: KiwiSDR IQ to the
 * audio worker and back as audio, a receiver's own audio straight to the listeners.
 *
 * Audio is display data: a block the worker cannot keep up with is dropped (and counted in the
 * next chunk's header), and nothing here ever waits, so capture and recording never slow down.
 */
import { type StreamEvent } from '../../shared/api';
import { fromServerCw, listenFromCaptureMode, toServerCw, type AudioChunk, type AudioSource, type ListenSettings, type ListenState } from '../../shared/domain/audio';
import { StationError } from '../../shared/errors';
import { type CaptureRun } from '../capture/captureEngine';
import { type CaptureReceiver, type WorkerMessage } from '../capture/workerProtocol';
import { kiwiMode } from '../receivers/kiwisdr/modes';
import { owrxMode } from '../receivers/openwebrx/modes';
import { type AudioWorkerClient, type PcmMessage } from './audioWorkerClient';
import { pcmBody } from './pcmBody';

/** IQ blocks (~43 ms each) a receiver may have in the worker before new ones are dropped. */
const MAX_IN_FLIGHT = 6;
/**
 * Live audio older than this when it is ready to send (the worker was starting, the main thread was
 * busy) is dropped: late sound is worse than a gap, and the listener's buffer would keep the delay.
 */
const MAX_AGE_MS = 250;

export type LiveOwner = 'monitor' | 'session';

export interface LiveSpec {
  mode: string;
  passband: { lowHz: number; highHz: number } | null;
  receivers: readonly Pick<CaptureReceiver, 'receiverId' | 'kind' | 'name'>[];
}

interface Rx {
  kind: 'kiwisdr' | 'openwebrx';
  name: string;
  source: AudioSource;
  listen: ListenSettings;
  sampleRate: number | null;
  seq: number;
  inFlight: number;
  dropped: number;
}

interface Subscriber {
  ids: Set<string>;
  emit: (e: StreamEvent<'audio'>) => void;
}

/** What a receiver's own demodulator is set to for a capture mode (its defaults where no passband is given). */
function receiverListen(kind: 'kiwisdr' | 'openwebrx', mode: string, passband: LiveSpec['passband']): ListenSettings {
  const m = kind === 'kiwisdr' ? kiwiMode(mode, 12000, passband) : owrxMode(mode, passband);
  if (!m) return listenFromCaptureMode(mode, passband);
  const pb = { lowHz: m.low, highHz: m.high };
  return mode === 'cw' ? fromServerCw(pb) : listenFromCaptureMode(mode, pb);
}

export function createLiveAudio(deps: { worker: AudioWorkerClient; changed: (receiverId: string) => void }) {
  let current: { owner: LiveOwner; run: CaptureRun; spec: LiveSpec; off: () => void } | null = null;
  /** The capture mode of the last run: a retune (a new run in the same mode) keeps how receivers were heard. */
  let lastMode: string | null = null;
  const rx = new Map<string, Rx>();
  const subscribers = new Set<Subscriber>();

  const adjustable = (r: Rx): { ok: boolean; reason: string | null } => {
    if (r.source === 'iq') return { ok: true, reason: null };
    if (current?.owner === 'session') {
      return { ok: false, reason: `${r.name} records its own ${current.spec.mode.toUpperCase()} audio in this session: changing its demodulator would change the recording. Record in IQ (KiwiSDR) to listen in any mode.` };
    }
    return { ok: true, reason: null };
  };

  const state = (id: string, r: Rx): ListenState => {
    const a = adjustable(r);
    return { receiverId: id, source: r.source, listen: r.listen, adjustable: a.ok, reason: a.reason, sampleRate: r.sampleRate };
  };

  const retap = () => {
    if (!current) return;
    const wanted = new Set<string>();
    for (const s of subscribers) for (const id of s.ids) if (rx.has(id)) wanted.add(id);
    current.run.tap([...wanted]);
    if (deps.worker.running()) for (const id of rx.keys()) if (!wanted.has(id)) deps.worker.send({ t: 'forget', receiverId: id });
  };

  const emit = (id: string, r: Rx, pcm: Int16Array, t0Ms: number, arrivedMs: number) => {
    const header: AudioChunk = { receiverId: id, sampleRate: r.sampleRate!, samples: pcm.length, seq: r.seq++, t0Ms, arrivedMs, source: r.source, listen: r.listen, dropped: r.dropped, end: false };
    r.dropped = 0;
    const body = pcmBody(pcm);
    for (const s of subscribers) if (s.ids.has(id)) s.emit({ header, body });
  };

  const onMessage = (m: WorkerMessage) => {
    if (m.t !== 'audio') return;
    const r = rx.get(m.receiverId);
    if (!r) return;
    r.sampleRate = m.sampleRate;
    const samples = m.kind === 'iq' ? m.samples.byteLength / 4 : m.samples.byteLength / 2;
    const t0Ms = m.firstSampleUnixMs ?? m.hostTimeMs - (samples / m.sampleRate) * 1000;
    if (m.kind === 'audio') {
      if (Date.now() - m.hostTimeMs > MAX_AGE_MS) r.dropped++;
      else emit(m.receiverId, r, new Int16Array(m.samples), t0Ms, m.hostTimeMs);
      return;
    }
    if (r.inFlight >= MAX_IN_FLIGHT) {
      r.dropped++;
      return;
    }
    r.inFlight++;
    deps.worker.send({ t: 'live', receiverId: m.receiverId, sampleRate: m.sampleRate, iq: m.samples, t0Ms, arrivedMs: m.hostTimeMs, listen: r.listen }, [m.samples]);
  };

  deps.worker.onPcm((m: PcmMessage) => {
    if (m.jobId !== null) return;
    const r = rx.get(m.receiverId);
    if (!r) return;
    r.inFlight = Math.max(0, r.inFlight - 1);
    if (r.source !== 'iq') return;
    if (m.arrivedMs !== null && Date.now() - m.arrivedMs > MAX_AGE_MS) {
      r.dropped++;
      return;
    }
    emit(m.receiverId, r, new Int16Array(m.pcm), m.t0Ms, m.arrivedMs ?? Date.now());
  });
  deps.worker.onError((e) => {
    if (e.jobId === null) for (const r of rx.values()) r.inFlight = 0;
  });

  return {
    /** A capture run the operator can listen to (the Live monitor or a recording session). */
    attach(owner: LiveOwner, run: CaptureRun, spec: LiveSpec): void {
      current?.off();
      const sameMode = lastMode === spec.mode;
      lastMode = spec.mode;
      const kept = new Map(rx);
      rx.clear();
      for (const r of spec.receivers) {
        const source: AudioSource = spec.mode === 'iq' ? 'iq' : 'receiver';
        const old = kept.get(r.receiverId);
        // A retune keeps how each receiver was heard; another mode starts from that mode.
        const listen = old && sameMode && old.source === source ? old.listen : source === 'iq' ? listenFromCaptureMode('iq', null) : receiverListen(r.kind, spec.mode, spec.passband);
        rx.set(r.receiverId, { kind: r.kind, name: r.name, source, listen, sampleRate: old?.sampleRate ?? null, seq: 0, inFlight: 0, dropped: 0 });
        const first = receiverListen(r.kind, spec.mode, spec.passband);
        if (source === 'receiver' && owner === 'monitor' && (listen.mode !== first.mode || listen.lowHz !== first.lowHz || listen.highHz !== first.highHz || listen.bfoHz !== first.bfoHz)) {
          run.setDemod(r.receiverId, listen.mode, listen.mode === 'cw' ? toServerCw(listen) : { lowHz: listen.lowHz, highHz: listen.highHz });
        }
      }
      const l = (m: WorkerMessage) => onMessage(m);
      run.events.on('message', l);
      current = { owner, run, spec, off: () => run.events.off('message', l) };
      // A KiwiSDR in IQ is heard through the worker: have it running before the first click.
      if (spec.mode === 'iq') deps.worker.warm();
      retap();
      for (const id of rx.keys()) deps.changed(id);
    },
    detach(owner: LiveOwner, run?: CaptureRun): void {
      if (!current || current.owner !== owner || (run && current.run !== run)) return;
      current.off();
      current = null;
      for (const id of rx.keys()) deps.changed(id);
    },
    states(): ListenState[] {
      if (!current) return [];
      return [...rx].map(([id, r]) => state(id, r));
    },
    set(receiverId: string, listen: ListenSettings): ListenState {
      if (!current) throw new StationError('conflict', 'Nothing is live: start the monitor on the Live page, or record a session, then choose how to listen.');
      const r = rx.get(receiverId);
      if (!r) throw new StationError('not_found', 'That receiver is not in the running monitor or recording; start it with this receiver first.');
      const a = adjustable(r);
      if (!a.ok) throw new StationError('conflict', a.reason!);
      r.listen = listen;
      if (r.source === 'receiver') {
        current.run.setDemod(receiverId, listen.mode, listen.mode === 'cw' ? toServerCw(listen) : { lowHz: listen.lowHz, highHz: listen.highHz });
      }
      deps.changed(receiverId);
      return state(receiverId, r);
    },
    subscribe(ids: readonly string[], emitTo: (e: StreamEvent<'audio'>) => void, signal: AbortSignal): void {
      const s: Subscriber = { ids: new Set(ids), emit: emitTo };
      subscribers.add(s);
      retap();
      signal.addEventListener(
        'abort',
        () => {
          subscribers.delete(s);
          retap();
        },
        { once: true },
      );
    },
    /** Receivers tapped now (for tests and status). */
    listening: (): string[] => [...new Set([...subscribers].flatMap((s) => [...s.ids]))].filter((id) => rx.has(id)),
  };
}
export type LiveAudio = ReturnType<typeof createLiveAudio>;

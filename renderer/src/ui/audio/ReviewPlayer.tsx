import { useCallback, useEffect, useRef, useState } from 'react';
import { LISTEN_DEFAULTS, listenFromCaptureMode, listenModes, type ListenSettings } from '../../../../shared/domain/audio';
import { type Session, type SessionSegment } from '../../../../shared/domain/sessions';
import { useToast } from '../Toasts';
import { shortcutAllowed } from '../keyboard';
import { useStation } from '../../station/StationContext';
import { type ColorMapName } from '../waterfall/colormaps';
import { audioEngine, REVIEW_BUFFER } from './audioEngine';
import { listenStore, useListenView } from './listenStore';
import { type PlayCursor } from './playCursor';
import { ReviewWaterfall } from './ReviewWaterfall';
import { passbandText } from './SpeakerControls';
import { useMuteKey } from './useLiveAudio';
import './audio.css';

/** Played around a segment: a second before and after, so its edges can be heard. */
const MARGIN_MS = 1000;
const reviewKey = (id: string) => `review:${id}`;

interface Playing {
  fromMs: number;
  clickedAt: number;
  ids: string[];
  listen: Record<string, ListenSettings>;
}

/**
 * Review listening for one segment: plays the stored samples of receiver A (and B, in step, for
 * A/B: the B key switches which one you hear without a gap), with a play cursor on the timeline and
 * the waterfall. IQ recordings are demodulated in any mode (mode buttons, passband edges on the
 * waterfall); a receiver's own audio plays as it was recorded.
 */
export function ReviewPlayer({ session, segment, colors, cursor }: { session: Session; segment: SessionSegment; colors: ColorMapName; cursor: PlayCursor }) {
  const station = useStation();
  const toast = useToast();
  const view = useListenView();
  useMuteKey();
  const recorded = segment.reviews
    .filter((r) => r.captureId !== null)
    .map((r) => ({ id: r.receiverId, name: r.receiverName, iq: session.captures.find((c) => c.receiverId === r.receiverId)?.datatype.startsWith('c') ?? false }));
  const [a, setA] = useState<string | null>(recorded[0]?.id ?? null);
  const [b, setB] = useState<string | null>(recorded[1]?.id ?? null);
  const [which, setWhich] = useState<'A' | 'B'>('A');
  const [listen, setListenMap] = useState<Record<string, ListenSettings>>({});
  const [playing, setPlaying] = useState<Playing | null>(null);
  const [startLatencyMs, setStartLatencyMs] = useState<number | null>(null);
  const [ended, setEnded] = useState(false);

  const bounds = {
    startMs: Math.max(session.startedAt ? Date.parse(session.startedAt) : segment.startMs - MARGIN_MS, segment.startMs - MARGIN_MS),
    endMs: Math.min(session.endedAt ? Date.parse(session.endedAt) : segment.endMs + MARGIN_MS, segment.endMs + MARGIN_MS),
  };
  const audibleId = which === 'B' && b ? b : a;
  const audible = recorded.find((r) => r.id === audibleId) ?? null;
  const listenOf = (id: string): ListenSettings => listen[id] ?? (recorded.find((r) => r.id === id)?.iq ? listenFromCaptureMode('iq', null) : listenFromCaptureMode(session.mode, session.passband));

  const start = useCallback(
    (fromMs: number, ids = [a, b].filter((x): x is string => x !== null), settings = listen) => {
      if (ids.length === 0) return;
      audioEngine.start().catch((e: Error) => toast({ kind: 'error', text: `This browser could not start audio (${e.message}).` }));
      setEnded(false);
      setStartLatencyMs(null);
      const iqListen: Record<string, ListenSettings> = {};
      for (const id of ids) if (settings[id]) iqListen[id] = settings[id];
      setPlaying({ fromMs: Math.max(bounds.startMs, Math.min(fromMs, bounds.endMs - 200)), clickedAt: Date.now(), ids, listen: iqListen });
    },
    [a, b, listen, bounds.startMs, bounds.endMs, toast],
  );
  const stop = useCallback(() => setPlaying(null), []);

  // The stream: every receiver of the pair in step; its chunks go to the player.
  useEffect(() => {
    if (!playing) return;
    const done = new Set<string>();
    const off = station.subscribe(
      'reviewAudio',
      { sessionId: session.id, receiverIds: playing.ids, startMs: playing.fromMs, endMs: bounds.endMs, listen: playing.listen },
      (ev) => {
        const h = ev.header;
        if (ev.body && h.samples > 0) audioEngine.push(reviewKey(h.receiverId), h, ev.body, REVIEW_BUFFER);
        if (h.end) done.add(h.receiverId);
      },
      (e) => {
        toast({ kind: 'error', text: `Playback stopped: ${e.message}` });
        setPlaying(null);
      },
    );
    let heard = false;
    const offStats = audioEngine.onStats((s) => {
      const mine = playing.ids.map((id) => s.get(reviewKey(id)));
      const src = mine.find((x) => x?.playing && x.headT0Ms !== null) ?? null;
      if (src && src.headT0Ms !== null) {
        cursor.report(src.headT0Ms, src.atMs);
        if (!heard) {
          heard = true;
          setStartLatencyMs(Math.round(src.atMs - playing.clickedAt));
        }
      }
      // Everything sent and everything heard: playback is over.
      if (done.size === playing.ids.length && mine.every((x) => !x || !x.playing)) {
        setEnded(true);
        setPlaying(null);
      }
    });
    return () => {
      off();
      offStats();
      for (const id of playing.ids) audioEngine.remove(reviewKey(id));
      cursor.clear();
    };
  }, [playing, station, session.id, bounds.endMs, cursor, toast]);

  // A/B: both play; only the chosen one is heard (the switch is a 20 ms gain ramp, no gap).
  useEffect(() => {
    if (!playing) return;
    for (const id of playing.ids) audioEngine.setGain(reviewKey(id), id === audibleId ? listenStore.volume(id) : 0);
  }, [playing, audibleId, view.volumes]);
  useEffect(() => audioEngine.setMuted(view.muted), [view.muted]);

  const setListenFor = (id: string, l: ListenSettings, commit = true) => {
    const next = { ...listen, [id]: l };
    setListenMap(next);
    // A new demodulator while playing: go on from where the cursor is.
    if (commit && playing) start(cursor.get() ?? playing.fromMs, playing.ids, next);
  };

  const latest = useRef({ playing, start, stop, b });
  useEffect(() => {
    latest.current = { playing, start, stop, b };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !shortcutAllowed(e)) return;
      const l = latest.current;
      if (e.code === 'Space' || e.key === ' ') {
        e.preventDefault();
        if (l.playing) l.stop();
        else l.start(bounds.startMs);
      } else if ((e.key === 'b' || e.key === 'B') && l.b) {
        e.preventDefault();
        setWhich((w) => (w === 'A' ? 'B' : 'A'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [bounds.startMs]);

  if (recorded.length === 0) return null;
  const current = audible ? listenOf(audible.id) : null;
  const choose = (set: (id: string | null) => void, value: string) => {
    set(value || null);
    if (playing) setPlaying(null);
  };
  return (
    <section className="review-listen" data-testid="review-player" data-playing={playing ? 'true' : 'false'} data-start-latency-ms={startLatencyMs ?? undefined}>
      <div className="review-listen-bar">
        <button type="button" className="btn btn-primary btn-small" data-testid="review-play" aria-keyshortcuts="Space" onClick={() => (playing ? stop() : start(bounds.startMs))}>
          {playing ? '■ Stop' : '▶ Play segment'}
        </button>
        <label className="ab-pick">
          <span>A</span>
          <select value={a ?? ''} onChange={(e) => choose(setA, e.target.value)} aria-label="Receiver A">
            {recorded.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="ab-pick">
          <span>B</span>
          <select value={b ?? ''} onChange={(e) => choose(setB, e.target.value)} aria-label="Receiver B">
            <option value="">none</option>
            {recorded
              .filter((r) => r.id !== a)
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
          </select>
        </label>
        <div className="listen-modes" role="group" aria-label="Which receiver you hear (B key)">
          {(['A', 'B'] as const).map((w) => (
            <button key={w} type="button" className="mode-btn" aria-pressed={which === w} disabled={w === 'B' && !b} onClick={() => setWhich(w)} data-testid={`review-${w}`}>
              {w}
            </button>
          ))}
        </div>
        {audible && (
          <div className="listen-modes" role="group" aria-label={`Demodulator of ${audible.name}`}>
            {listenModes.map((m) => (
              <button
                key={m}
                type="button"
                className="mode-btn"
                aria-pressed={current?.mode === m}
                disabled={!audible.iq}
                title={audible.iq ? `${m.toUpperCase()} with its usual passband` : `${audible.name} recorded its own ${session.mode.toUpperCase()} audio: it plays as it was recorded.`}
                onClick={() => setListenFor(audible.id, { ...LISTEN_DEFAULTS[m], bfoHz: current?.bfoHz ?? LISTEN_DEFAULTS.cw.bfoHz })}
              >
                {m.toUpperCase()}
              </button>
            ))}
          </div>
        )}
        {audible && (
          <input className="volume" type="range" min={0} max={1} step={0.05} value={listenStore.volume(audible.id)} aria-label={`Volume of ${audible.name}`} onChange={(e) => listenStore.setVolume(audible.id, Number(e.target.value))} />
        )}
        <span className="muted small mono" data-testid="review-status">
          {current ? passbandText(current) : ''}
          {view.muted ? ' · muted (M)' : ''}
          {playing && startLatencyMs !== null ? ` · sound after ${startLatencyMs} ms` : playing ? ' · starting…' : ended ? ' · played to the end' : ''}
        </span>
      </div>
      {audible && (
        <ReviewWaterfall
          key={audible.id}
          sessionId={session.id}
          receiverId={audible.id}
          name={audible.name}
          startMs={bounds.startMs}
          endMs={bounds.endMs}
          segment={segment}
          dialHz={session.freqHz}
          listen={current}
          colors={colors}
          cursor={cursor}
          onSeek={(ms) => start(ms)}
          onListen={(l, commit) => setListenFor(audible.id, l, commit)}
        />
      )}
      <p className="muted small">
        <kbd>Space</kbd> plays or stops · <kbd>B</kbd> switches between A and B · <kbd>M</kbd> mutes · click the waterfall to play from there{audible?.iq ? ' · drag the yellow edges to change the passband' : ''}
      </p>
    </section>
  );
}

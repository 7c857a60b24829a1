import { useCallback, useEffect, useRef, useState } from 'react';
import { type LinkStateData } from '../../../shared/domain/monitor';
import { type Session } from '../../../shared/domain/sessions';
import { type ColorMapName } from '../ui/waterfall/colormaps';
import { WaterfallCanvas, type WaterfallFeed } from '../ui/waterfall/WaterfallCanvas';
import { useToast } from '../ui/Toasts';
import { useStation } from '../station/StationContext';
import { Dialog, Field } from '../ui/Dialog';
import { errorText, fmtClock, fmtDuration, fmtFreq } from '../ui/format';
import { shortcutAllowed } from '../ui/keyboard';
import { useTicker } from '../ui/hooks';
import { MarkerStrip } from './MarkerStrip';
import { useWaterfallFeeds, type BandInfo } from './waterfallFeeds';
import { type ListenSettings, type ListenState } from '../../../shared/domain/audio';
import { type SourceStats } from '../ui/audio/audioEngine';
import { listenStore } from '../ui/audio/listenStore';
import { PassbandLayer } from '../ui/audio/PassbandLayer';
import { AudioBar, SpeakerControls } from '../ui/audio/SpeakerControls';
import { useLiveAudio, usePlayerStats } from '../ui/audio/useLiveAudio';

const PHASE_LABEL = { connecting: 'Connecting', streaming: 'Recording', backoff: 'Reconnecting', stopped: 'Stopped', failed: 'Failed' } as const;

interface Mark {
  start: number;
  end: number | null;
}

function FreqAxis({ band, freqHz }: { band: BandInfo | undefined; freqHz: number }) {
  if (!band) return null;
  const at = (freqHz - band.startHz) / band.spanHz;
  const khz = (hz: number) => `${hz >= 0 ? '+' : '−'}${Math.abs(hz / 1000).toFixed(Math.abs(hz) < 10_000 ? 1 : 0)} kHz`;
  return (
    <div className="rec-axis mono" aria-hidden="true">
      <span>{khz(band.startHz - freqHz)}</span>
      {at >= 0 && at <= 1 && (
        <span className="rec-axis-tune" style={{ left: `${at * 100}%` }}>
          ▲ {fmtFreq(freqHz)}
        </span>
      )}
      <span>{khz(band.startHz + band.spanHz - freqHz)}</span>
    </div>
  );
}

/**
 * A session while it records: every receiver's live waterfall and link state, the running clock,
 * the transmit marker (hold the button or Space while the source is keyed), and a speaker per
 * receiver to hear what it records.
 */
export function RecordingView({ session, onChanged }: { session: Session; onChanged: (s: Session) => void }) {
  const station = useStation();
  const toast = useToast();
  const ids = session.receivers.map((r) => r.receiverId);
  const { bands, feed, onRows } = useWaterfallFeeds(ids, true);
  const audio = useLiveAudio(ids, true);
  const playerStats = usePlayerStats();
  const [links, setLinks] = useState<Record<string, LinkStateData>>({});
  const [colors, setColors] = useState<ColorMapName>('viridis');
  const [now, setNow] = useState(() => Date.now());
  const [heldSince, setHeldSince] = useState<number | null>(null);
  const [stopping, setStopping] = useState(false);
  const [aborting, setAborting] = useState(false);
  const holders = useRef(new Set<'key' | 'pointer'>());
  const marks = useRef<Mark[]>([]);
  const [markCount, setMarkCount] = useState(0);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const sessionId = session.id;
  const changed = useRef(onChanged);
  useEffect(() => {
    changed.current = onChanged;
  }, [onChanged]);

  useTicker(true, 200, () => setNow(Date.now()));

  useEffect(() => {
    station.getSettings().then((s) => setColors(s.colorMap), () => undefined);
    station.getMonitor().then(
      (m) => setLinks((l) => ({ ...Object.fromEntries(m.receivers.map((r) => [r.receiverId, r.state])), ...l })),
      () => undefined,
    );
  }, [station]);

  useEffect(
    () =>
      station.subscribe('receiverStates', {}, (ev) => {
        const { receiverId, state } = ev.header;
        if (state) setLinks((l) => ({ ...l, [receiverId]: state }));
      }),
    [station],
  );

  /** Sends press/release in order; a failure tells the operator what to do. */
  const send = useCallback(
    (action: 'down' | 'up', atMs: number) => {
      queue.current = queue.current
        .then(() => station.markTransmit({ id: sessionId, action, atMs }))
        .then(
          (s) => changed.current(s),
          (e: unknown) =>
            toast({
              kind: 'error',
              text: `The transmit ${action === 'down' ? 'press' : 'release'} was not recorded: ${errorText(e)} After recording, add the segment by hand in the review.`,
            }),
        );
    },
    [station, sessionId, toast],
  );

  const press = useCallback(
    (who: 'key' | 'pointer') => {
      const first = holders.current.size === 0;
      holders.current.add(who);
      if (!first) return;
      const at = Date.now();
      marks.current.push({ start: at, end: null });
      setMarkCount(marks.current.length);
      setHeldSince(at);
      send('down', at);
    },
    [send],
  );
  const release = useCallback(
    (who: 'key' | 'pointer' | 'all') => {
      if (who === 'all') holders.current.clear();
      else if (!holders.current.delete(who)) return;
      if (holders.current.size > 0) return;
      const last = marks.current[marks.current.length - 1];
      if (!last || last.end !== null) return;
      const at = Date.now();
      last.end = at;
      setHeldSince(null);
      send('up', at);
    },
    [send],
  );

  useEffect(() => {
    const isSpace = (e: KeyboardEvent) => e.code === 'Space' || e.key === ' ';
    const down = (e: KeyboardEvent) => {
      if (!isSpace(e) || !shortcutAllowed(e)) return;
      e.preventDefault();
      if (e.repeat) return;
      press('key');
    };
    const up = (e: KeyboardEvent) => {
      if (!isSpace(e)) return;
      if (holders.current.has('key')) e.preventDefault();
      release('key');
    };
    const blur = () => release('all');
    const hidden = () => {
      if (document.visibilityState === 'hidden') release('all');
    };
    window.addEventListener('keydown', down, true);
    window.addEventListener('keyup', up, true);
    window.addEventListener('blur', blur);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      window.removeEventListener('keydown', down, true);
      window.removeEventListener('keyup', up, true);
      window.removeEventListener('blur', blur);
      document.removeEventListener('visibilitychange', hidden);
      release('all');
    };
  }, [press, release]);

  const serverMarks = session.segments.filter((s) => s.origin === 'operator');
  const serverMarksRef = useRef(serverMarks);
  useEffect(() => {
    serverMarksRef.current = serverMarks;
  });
  const isMarked = useCallback((t: number) => {
    for (const m of marks.current) if (t >= m.start && t <= (m.end ?? Infinity)) return true;
    for (const s of serverMarksRef.current) if (t >= s.startMs && t <= s.endMs) return true;
    return false;
  }, []);

  const stop = async () => {
    release('all');
    setStopping(true);
    try {
      onChanged(await station.stopSession({ id: sessionId }));
    } catch (e) {
      setStopping(false);
      toast({ kind: 'error', text: `Could not stop the recording: ${errorText(e)}` });
    }
  };

  const startedMs = session.startedAt ? Date.parse(session.startedAt) : now;
  const elapsed = Math.max(0, (now - startedMs) / 1000);
  const total = session.durationSec;
  const over = total !== null && elapsed >= total;
  const heldFor = heldSince !== null ? (now - heldSince) / 1000 : 0;
  const doneMarks = Math.max(markCount - (heldSince !== null ? 1 : 0), serverMarks.length);

  return (
    <div className="rec" data-testid="recording-view">
      <div className="rec-top">
        <div className="rec-clock panel" aria-live="off">
          <span className="rec-dot" aria-hidden="true" />
          <div>
            <div className="rec-time mono" data-testid="rec-elapsed">
              {fmtClock(elapsed)}
              {total !== null && <span className="muted"> / {fmtClock(total)}</span>}
            </div>
            <div className="muted small">
              {stopping || over ? 'Stopping: storing the captures…' : total !== null ? `${fmtDuration(Math.max(0, total - elapsed))} left` : 'Records until you press Stop'}
            </div>
            {total !== null && (
              <div className="hs-progress hs-progress-thin" aria-hidden="true">
                <div style={{ width: `${Math.min(100, (elapsed / total) * 100)}%` }} />
              </div>
            )}
          </div>
        </div>
        <button
          type="button"
          className={heldSince !== null ? 'tx-button held' : 'tx-button'}
          data-testid="transmit-marker"
          aria-pressed={heldSince !== null}
          aria-keyshortcuts="Space"
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.preventDefault();
            e.currentTarget.setPointerCapture(e.pointerId);
            press('pointer');
          }}
          onPointerUp={() => release('pointer')}
          onPointerCancel={() => release('pointer')}
          onLostPointerCapture={() => release('pointer')}
          onContextMenu={(e) => e.preventDefault()}
        >
          {heldSince !== null ? (
            <>
              <span className="tx-title">TRANSMITTING · {heldFor.toFixed(1)} s</span>
              <span className="tx-sub">Release when the source stops</span>
            </>
          ) : (
            <>
              <span className="tx-title">
                Hold while transmitting <kbd>Space</kbd>
              </span>
              <span className="tx-sub">Press when the source keys up, release when it stops</span>
            </>
          )}
        </button>
        <div className="rec-actions">
          <div className="rec-marks" data-testid="mark-count">
            <strong>{doneMarks}</strong> {session.rounds ? `of ${session.rounds} rounds` : doneMarks === 1 ? 'mark' : 'marks'}
          </div>
          <button type="button" className="btn btn-primary btn-big" onClick={() => void stop()} disabled={stopping}>
            {stopping ? 'Stopping…' : '■ Stop recording'}
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setAborting(true)}>
            Abort…
          </button>
        </div>
      </div>
      <AudioBar
        mix={audio.view.mix}
        muted={audio.view.muted}
        audibleNames={session.receivers.filter((r) => audio.audible.includes(r.receiverId)).map((r) => r.name)}
        onMix={listenStore.setMix}
        onMute={listenStore.toggleMute}
      />
      <div className="rec-grid">
        {session.receivers.map((r) => (
          <ReceiverCard
            key={r.receiverId}
            name={r.name}
            kind={r.kind}
            link={links[r.receiverId]}
            band={bands[r.receiverId]}
            freqHz={session.freqHz}
            colors={colors}
            feed={feed(r.receiverId)}
            onRows={onRows}
            receiverId={r.receiverId}
            isMarked={isMarked}
            listen={audio.states[r.receiverId]}
            audible={audio.audible.includes(r.receiverId)}
            muted={audio.view.muted}
            stats={playerStats.get(`live:${r.receiverId}`)}
            onToggle={(mix) => audio.toggle(r.receiverId, mix)}
            onListen={audio.setListen}
          />
        ))}
      </div>
      {aborting && <AbortDialog session={session} onClose={() => setAborting(false)} onAborted={onChanged} />}
    </div>
  );
}

function ReceiverCard({
  receiverId,
  name,
  kind,
  link,
  band,
  freqHz,
  colors,
  feed,
  onRows,
  isMarked,
  listen,
  audible,
  muted,
  stats,
  onToggle,
  onListen,
}: {
  listen: ListenState | undefined;
  audible: boolean;
  muted: boolean;
  stats: SourceStats | undefined;
  onToggle: (addToMix: boolean) => void;
  onListen: (receiverId: string, l: ListenSettings, commit?: boolean) => void;
  receiverId: string;
  name: string;
  kind: 'kiwisdr' | 'openwebrx';
  link: LinkStateData | undefined;
  band: BandInfo | undefined;
  freqHz: number;
  colors: ColorMapName;
  feed: WaterfallFeed;
  onRows: ReturnType<typeof useWaterfallFeeds>['onRows'];
  isMarked: (t: number) => boolean;
}) {
  const subscribe = useCallback((sink: Parameters<typeof onRows>[1]) => onRows(receiverId, sink), [onRows, receiverId]);
  // Rows arriving mean the link is up, even before its first state event.
  const phase = link?.phase ?? (band ? 'streaming' : 'connecting');
  const range = useCallback(() => (band ? { lo: band.startHz, hi: band.startHz + band.spanHz } : null), [band]);
  const changeListen = useCallback((l: ListenSettings, commit: boolean) => onListen(receiverId, l, commit), [onListen, receiverId]);
  return (
    <article className={`rec-card phase-${phase}`} data-testid="rec-card" data-receiver-id={receiverId}>
      <header>
        <strong>{name}</strong>
        <span className={`kind kind-${kind}`}>{kind === 'kiwisdr' ? 'KiwiSDR' : 'OpenWebRX'}</span>
        <span className={`badge badge-${phase}`} data-testid="rec-state">
          {PHASE_LABEL[phase]}
        </span>
      </header>
      <SpeakerControls
        receiverId={receiverId}
        name={name}
        state={listen}
        audible={audible}
        muted={muted}
        volume={listenStore.volume(receiverId)}
        stats={stats}
        onToggle={onToggle}
        onListen={(l) => onListen(receiverId, l)}
        onVolume={(v) => listenStore.setVolume(receiverId, v)}
      />
      <div className="rec-wf">
        <MarkerStrip subscribe={subscribe} isMarked={isMarked} />
        {band ? (
          <div className="rec-wf-stack">
            <WaterfallCanvas feed={feed} bins={band.bins} colors={colors} label={name} />
            <PassbandLayer range={range} dialHz={freqHz} listen={listen?.listen ?? null} editable={listen?.adjustable ?? false} onChange={changeListen} />
          </div>
        ) : (
          <div className="waterfall-placeholder">{phase === 'failed' ? 'No data from this receiver' : 'Waiting for the first spectrum row…'}</div>
        )}
      </div>
      <FreqAxis band={band} freqHz={freqHz} />
      {link && phase !== 'streaming' && <p className="state-msg">{link.message}</p>}
    </article>
  );
}

export function AbortDialog({ session, onClose, onAborted }: { session: Session; onClose: () => void; onAborted: (s: Session) => void }) {
  const station = useStation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!reason.trim()) {
      setError('Say why, so whoever looks at this session later knows (e.g. “wrong frequency”, “source did not transmit”).');
      return;
    }
    setBusy(true);
    try {
      onAborted(await station.abortSession({ id: session.id, reason: reason.trim() }));
      onClose();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`Abort “${session.name}”?`}
      onClose={onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Keep the session
          </button>
          <button type="submit" className="btn btn-danger" disabled={busy}>
            Abort session
          </button>
        </>
      }
    >
      <p className="muted">The session ends for good; captures already made are kept but it cannot be reviewed or approved.</p>
      <Field label="Reason" error={error ?? undefined}>
        <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. the source did not transmit" />
      </Field>
    </Dialog>
  );
}

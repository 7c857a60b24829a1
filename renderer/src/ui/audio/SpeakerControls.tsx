import { LISTEN_DEFAULTS, listenModes, type ListenSettings, type ListenState } from '../../../../shared/domain/audio';
import { type SourceStats } from './audioEngine';
import './audio.css';

export function SpeakerIcon({ on }: { on: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
      {on ? (
        <path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" stroke="currentColor" strokeWidth="2" fill="none" strokeLinecap="round" />
      ) : (
        <path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      )}
    </svg>
  );
}

export const passbandText = (l: ListenSettings) => `${l.mode.toUpperCase()} ${Math.round(l.lowHz)}…${Math.round(l.highHz)} Hz${l.mode === 'cw' ? ` · BFO ${Math.round(l.bfoHz)} Hz` : ''}`;

/**
 * A receiver card's speaker: listen (solo; Shift+click adds it to the mix), the demodulator's mode
 * buttons, the CW pitch, the volume, a level meter and, while it plays, the buffer and latency.
 */
export function SpeakerControls({
  receiverId,
  name,
  state,
  audible,
  muted,
  volume,
  stats,
  onToggle,
  onListen,
  onVolume,
}: {
  receiverId: string;
  name: string;
  state: ListenState | undefined;
  audible: boolean;
  muted: boolean;
  volume: number;
  stats: SourceStats | undefined;
  onToggle: (addToMix: boolean) => void;
  onListen: (l: ListenSettings) => void;
  onVolume: (v: number) => void;
}) {
  const listen = state?.listen;
  const adjustable = state?.adjustable ?? false;
  const why = state?.reason ?? (state ? null : 'Waiting for the receiver…');
  const level = audible && stats ? Math.min(1, stats.level * 2.5) : 0;
  return (
    <div className={`listen-bar${audible ? ' is-audible' : ''}`} data-testid="listen-bar" data-receiver-id={receiverId}>
      <button
        type="button"
        className={`speaker${audible ? ' on' : ''}${audible && muted ? ' muted' : ''}`}
        aria-pressed={audible}
        aria-label={`Listen to ${name}`}
        title={audible ? `Stop listening to ${name}` : `Listen to ${name} (only this one). Shift+click: add it to the mix.`}
        data-testid="speaker"
        onClick={(e) => onToggle(e.shiftKey)}
      >
        <SpeakerIcon on={audible && !muted} />
      </button>
      <div className="listen-modes" role="group" aria-label={`Demodulator of ${name}`}>
        {listenModes.map((m) => (
          <button
            key={m}
            type="button"
            className="mode-btn"
            aria-pressed={listen?.mode === m}
            disabled={!adjustable}
            title={why ?? `${m.toUpperCase()} with its usual passband`}
            onClick={() => onListen({ ...LISTEN_DEFAULTS[m], bfoHz: listen?.bfoHz ?? LISTEN_DEFAULTS.cw.bfoHz })}
          >
            {m.toUpperCase()}
          </button>
        ))}
      </div>
      {listen?.mode === 'cw' && (
        <label className="bfo">
          <span>BFO</span>
          <input
            type="number"
            step={50}
            min={-3000}
            max={3000}
            value={Math.round(listen.bfoHz)}
            disabled={!adjustable}
            aria-label={`CW pitch (BFO) of ${name}, Hz`}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (Number.isFinite(v) && Math.abs(v) <= 3000) onListen({ ...listen, bfoHz: v });
            }}
          />
        </label>
      )}
      <input className="volume" type="range" min={0} max={1} step={0.05} value={volume} aria-label={`Volume of ${name}`} onChange={(e) => onVolume(Number(e.target.value))} />
      <span className="level-meter" aria-hidden="true">
        <span style={{ width: `${Math.round(level * 100)}%` }} />
      </span>
      <span className="listen-readout mono" data-testid="listen-readout" data-latency-ms={stats?.latencyMs != null ? Math.round(stats.latencyMs) : undefined} data-fill-ms={stats ? Math.round(stats.fillMs) : undefined}>
        {listen ? passbandText(listen) : ''}
        {audible && stats?.playing && stats.latencyMs != null ? ` · ${Math.round(stats.latencyMs)} ms` : audible && stats && !stats.playing ? ' · buffering' : ''}
      </span>
    </div>
  );
}

/** The page-wide part: mix on demand and mute all (M). */
export function AudioBar({ mix, muted, audibleNames, onMix, onMute }: { mix: boolean; muted: boolean; audibleNames: string[]; onMix: (m: boolean) => void; onMute: () => void }) {
  return (
    <div className="audio-bar" data-testid="audio-bar">
      <label className="chip" title="With Mix on, each speaker adds its receiver to what you hear; off, a speaker plays its receiver alone.">
        <input type="checkbox" checked={mix} onChange={(e) => onMix(e.target.checked)} />
        Mix
      </label>
      <button type="button" className={`btn btn-small${muted ? ' on' : ''}`} aria-pressed={muted} aria-keyshortcuts="M" onClick={onMute} data-testid="mute-all">
        {muted ? 'Unmute' : 'Mute all'} <kbd>M</kbd>
      </button>
      <span className="muted small" data-testid="audible-summary">
        {audibleNames.length === 0 ? 'Click a speaker to listen.' : `${muted ? 'Muted: ' : 'Listening to '}${audibleNames.join(' + ')}`}
      </span>
    </div>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { type Receiver } from '../../../shared/domain/receiver';
import { captureModes, type CaptureMode, type MonitorStatus } from '../../../shared/domain/monitor';
import { type Settings } from '../../../shared/domain/settings';
import { useToast } from '../ui/Toasts';
import { shortcutAllowed } from '../ui/keyboard';
import { formatDialMHz } from '../ui/frequencyView';
import { LevelSeries } from './LevelSeries';
import { LEVEL_SAMPLE_MS, LiveModel } from './liveModel';
import { LiveToolbar } from './LiveToolbar';
import { LiveView } from './liveView';
import { LiveSpectrum } from './LiveSpectrum';
import { WaterfallPanel } from './WaterfallPanel';
import { useConnectionState, useStation } from '../station/StationContext';
import { type ColorMapName } from '../ui/waterfall/colormaps';
import { AudioBar, SpeakerControls } from '../ui/audio/SpeakerControls';
import { listenStore } from '../ui/audio/listenStore';
import { useLiveAudio, usePlayerStats } from '../ui/audio/useLiveAudio';

const PHASE_LABEL = { connecting: 'Connecting', streaming: 'Live', backoff: 'Waiting', stopped: 'Stopped', failed: 'Failed' } as const;

const unitOf = (kind: 'kiwisdr' | 'openwebrx') => (kind === 'kiwisdr' ? 'dBm' : 'dB');

export function LivePage() {
  const station = useStation();
  const connection = useConnectionState();
  const toast = useToast();
  const [receivers, setReceivers] = useState<Receiver[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [freqMHz, setFreqMHz] = useState('145.500');
  const [mode, setMode] = useState<CaptureMode>('nfm');
  const [status, setStatus] = useState<MonitorStatus | null>(null);
  const [colors, setColors] = useState<ColorMapName>('viridis');
  const [busy, setBusy] = useState(false);
  // Everything the waterfalls and plots share lives outside React state (see LiveView).
  const [model] = useState(() => new LiveModel(new LiveView()));
  const [bins, setBins] = useState<Record<string, number>>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [retuningTo, setRetuningTo] = useState<number | null>(null);
  const [previousHz, setPreviousHz] = useState<number | null>(null);
  const running = status?.running ?? false;

  useEffect(() => {
    if (connection !== 'open') return;
    station.listReceivers().then((list) => {
      setReceivers(list);
      setChosen((c) => (c.size ? c : new Set(list.filter((r) => r.active).map((r) => r.id))));
    }, (e: Error) => toast({ kind: 'error', text: e.message }));
    station.getMonitor().then(setStatus, () => undefined);
    station.getSettings().then((s: Settings) => setColors(s.colorMap), () => undefined);
  }, [station, connection, toast]);

  // One waterfall subscription for all receivers, split per receiver by the model.
  useEffect(() => {
    if (!running) return;
    const knownBins = new Map<string, number>();
    return station.subscribe('waterfall', { receiverIds: [] }, (ev) => {
      const h = ev.header;
      if (!ev.body) return;
      if (knownBins.get(h.receiverId) !== h.bins) {
        knownBins.set(h.receiverId, h.bins);
        setBins((b) => (b[h.receiverId] === h.bins ? b : { ...b, [h.receiverId]: h.bins }));
      }
      model.ingest(h, ev.body);
    });
  }, [station, running, model]);

  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => model.sample(), LEVEL_SAMPLE_MS);
    return () => clearInterval(t);
  }, [running, model]);

  // Link states go to the cards at once; S-meter readings (several a second per receiver) feed the
  // level series directly and reach the cards' text twice a second, not with every reading.
  useEffect(() => {
    const pending = new Map<string, number>();
    const off = station.subscribe('receiverStates', {}, (ev) => {
      const c = ev.header;
      if (c.smeterDbm !== undefined) {
        model.smeter(c.receiverId, c.smeterDbm);
        pending.set(c.receiverId, c.smeterDbm);
      }
      const state = c.state;
      if (state) setStatus((s) => (s ? { ...s, receivers: s.receivers.map((r) => (r.receiverId === c.receiverId ? { ...r, state } : r)) } : s));
    });
    const flush = setInterval(() => {
      if (!pending.size) return;
      const readings = new Map(pending);
      pending.clear();
      setStatus((s) => (s ? { ...s, receivers: s.receivers.map((r) => (readings.has(r.receiverId) ? { ...r, smeterDbm: readings.get(r.receiverId)! } : r)) } : s));
    }, LEVEL_SAMPLE_MS);
    return () => {
      off();
      clearInterval(flush);
    };
  }, [station, model]);

  const monitored = status?.running ? status.receivers : [];
  const monitoredKey = monitored.map((r) => r.receiverId).join(',');
  useEffect(() => {
    model.retain(monitoredKey ? monitoredKey.split(',') : []);
    listenStore.retain(monitoredKey ? monitoredKey.split(',') : []);
  }, [model, monitoredKey]);
  const monitoredIds = useMemo(() => (monitoredKey ? monitoredKey.split(',') : []), [monitoredKey]);
  const audio = useLiveAudio(monitoredIds, running);
  const playerStats = usePlayerStats();
  const dialHz = status?.running ? status.freqHz : null;
  useEffect(() => {
    model.view.setDial(dialHz);
  }, [model, dialHz]);
  // The spectrum shows the chosen receiver, else the first one with rows.
  const spectrumId = monitored.some((r) => r.receiverId === selected) ? selected : (monitored.find((r) => bins[r.receiverId]) ?? monitored[0])?.receiverId ?? null;
  useEffect(() => {
    model.view.setRef(spectrumId);
  }, [model, spectrumId]);

  // Click-to-tune needs the latest status without re-creating the callback (the panels are memoised).
  const statusRef = useRef(status);
  useEffect(() => {
    statusRef.current = status;
  }, [status]);
  const tuning = useRef(false);
  const retune = useCallback(
    async (hz: number) => {
      const s = statusRef.current;
      const freqHz = Math.round(hz);
      if (!s?.running || !s.mode || s.freqHz === null || freqHz === s.freqHz || tuning.current) return;
      tuning.current = true;
      const from = s.freqHz;
      setRetuningTo(freqHz);
      try {
        const next = await station.startMonitor({ receiverIds: s.receivers.map((r) => r.receiverId), freqHz, mode: s.mode });
        setStatus(next);
        setPreviousHz(from);
        setFreqMHz(formatDialMHz(freqHz));
      } catch (err) {
        toast({ kind: 'error', text: `Could not tune to ${formatDialMHz(freqHz)} MHz: ${(err as Error).message}` });
      } finally {
        tuning.current = false;
        setRetuningTo(null);
      }
    },
    [station, toast],
  );
  const onTune = useCallback((hz: number) => void retune(hz), [retune]);

  // Page-wide view keys (the focused waterfall handles arrows, Enter, Home and Page Up/Down).
  useEffect(() => {
    if (!running) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !shortcutAllowed(e)) return;
      const v = model.view;
      switch (e.key) {
        case '+':
        case '=':
          v.zoom(2);
          break;
        case '-':
        case '_':
          v.zoom(1 / 2);
          break;
        case '0':
          v.resetZoom();
          break;
        case '[':
          v.timeZoom(-1);
          break;
        case ']':
          v.timeZoom(1);
          break;
        case 'p':
        case 'P':
          v.setPaused(!v.paused);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, model]);

  const start = async (e?: FormEvent) => {
    e?.preventDefault();
    const freqHz = Math.round(Number(freqMHz.replace(',', '.')) * 1e6);
    if (!Number.isFinite(freqHz) || freqHz <= 0) {
      toast({ kind: 'error', text: 'Enter the frequency in MHz, e.g. 145.500 or 7.100.' });
      return;
    }
    setBusy(true);
    try {
      setStatus(await station.startMonitor({ receiverIds: [...chosen], freqHz, mode }));
      setPreviousHz(null);
      // Another band or other receivers: start from the whole of each waterfall, live.
      model.view.resetZoom();
      model.view.setPaused(false);
    } catch (err) {
      toast({ kind: 'error', text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const stop = async () => {
    setBusy(true);
    try {
      setStatus(await station.stopMonitor());
      setPreviousHz(null);
      model.view.resetZoom();
      model.view.setPaused(false);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string) => setChosen((c) => {
    const n = new Set(c);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });

  const spectrumReceiver = monitored.find((r) => r.receiverId === spectrumId);
  const spectrumTitle = (
    <>
      <h2>Spectrum</h2>
      <select className="spectrum-select" value={spectrumId ?? ''} onChange={(e) => setSelected(e.target.value)} aria-label="Receiver shown in the spectrum">
        {monitored.map((r) => (
          <option key={r.receiverId} value={r.receiverId}>
            {r.name}
          </option>
        ))}
      </select>
    </>
  );

  return (
    <section className="page page-wide">
      <header className="page-header">
        <h1>Live</h1>
        {status?.running && (
          <span className="muted" data-testid="monitor-summary">
            {formatDialMHz(status.freqHz!)} MHz · {status.mode} · {status.receivers.length} receivers
          </span>
        )}
      </header>
      <form className="panel live-controls" onSubmit={start}>
        <label className="field">
          <span className="field-label">Frequency (MHz)</span>
          <input name="freq" inputMode="decimal" value={freqMHz} onChange={(e) => setFreqMHz(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Mode</span>
          <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as CaptureMode)}>
            {captureModes.map((m) => (
              <option key={m} value={m}>
                {m === 'iq' ? 'IQ (KiwiSDR only)' : m.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field live-receivers">
          <legend className="field-label">Receivers ({chosen.size} chosen)</legend>
          {receivers.length === 0 && <span className="muted">No receivers yet: add some on the Receivers page.</span>}
          {receivers.map((r) => (
            <label key={r.id} className="chip">
              <input type="checkbox" checked={chosen.has(r.id)} onChange={() => toggle(r.id)} />
              {r.name}
            </label>
          ))}
        </fieldset>
        <div className="dialog-actions">
          {status?.running ? (
            <button type="button" className="btn btn-danger" onClick={() => void stop()} disabled={busy}>
              Stop monitor
            </button>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={busy || chosen.size === 0}>
            {status?.running ? 'Retune' : 'Start monitor'}
          </button>
        </div>
      </form>
      {status?.running ? (
        <>
          <div className="live-top">
          <LiveToolbar model={model} dialHz={dialHz} retuningTo={retuningTo} previousHz={previousHz} onBack={() => previousHz !== null && onTune(previousHz)} />
          <section className="panel spectrum-panel" aria-label="Spectrum">
            {spectrumReceiver && bins[spectrumReceiver.receiverId] ? (
              <LiveSpectrum key={spectrumReceiver.receiverId} model={model} receiverId={spectrumReceiver.receiverId} unit={unitOf(spectrumReceiver.kind)} onTune={onTune} title={spectrumTitle} />
            ) : (
              <>
                <div className="spectrum-tools">{spectrumTitle}</div>
                <div className="waterfall-placeholder spectrum-placeholder">No spectrum rows from {spectrumReceiver?.name ?? 'this receiver'} yet.</div>
              </>
            )}
          </section>
          </div>
          <AudioBar
            mix={audio.view.mix}
            muted={audio.view.muted}
            audibleNames={monitored.filter((r) => audio.audible.includes(r.receiverId)).map((r) => r.name)}
            onMix={listenStore.setMix}
            onMute={listenStore.toggleMute}
          />
          <div className="live-grid">
            {monitored.map((r) => (
              <article
                key={r.receiverId}
                className={`live-card phase-${r.state.phase}${r.receiverId === spectrumId ? ' is-selected' : ''}`}
                data-testid="live-card"
                data-receiver-id={r.receiverId}
              >
                <header>
                  <button type="button" className="card-title" aria-pressed={r.receiverId === spectrumId} title="Show this receiver in the spectrum" onClick={() => setSelected(r.receiverId)}>
                    {r.name}
                  </button>
                  <span className={`badge badge-${r.state.phase}`}>{PHASE_LABEL[r.state.phase]}</span>
                  {r.smeterDbm !== null && (
                    <span className="mono smeter" title={r.kind === 'kiwisdr' ? 'KiwiSDR S-meter, calibrated' : 'OpenWebRX S-meter, relative (not calibrated)'}>
                      {r.smeterDbm.toFixed(1)} {unitOf(r.kind)}
                    </span>
                  )}
                </header>
                <SpeakerControls
                  receiverId={r.receiverId}
                  name={r.name}
                  state={audio.states[r.receiverId]}
                  audible={audio.audible.includes(r.receiverId)}
                  muted={audio.view.muted}
                  volume={listenStore.volume(r.receiverId)}
                  stats={playerStats.get(`live:${r.receiverId}`)}
                  onToggle={(mix) => audio.toggle(r.receiverId, mix)}
                  onListen={(l) => audio.setListen(r.receiverId, l)}
                  onVolume={(v) => listenStore.setVolume(r.receiverId, v)}
                />
                {bins[r.receiverId] ? (
                  <WaterfallPanel
                    model={model}
                    receiverId={r.receiverId}
                    bins={bins[r.receiverId]!}
                    colors={colors}
                    label={r.name}
                    onTune={onTune}
                    dialHz={dialHz}
                    listen={audio.states[r.receiverId]?.listen ?? null}
                    listenEditable={audio.states[r.receiverId]?.adjustable ?? false}
                    onListen={audio.setListen}
                  />
                ) : (
                  <div className="waterfall-placeholder">{r.state.phase === 'streaming' ? 'Waiting for the first spectrum row…' : r.state.phase === 'failed' ? 'No data' : 'No spectrum yet'}</div>
                )}
                {r.state.phase !== 'streaming' && <p className="state-msg">{r.state.message}</p>}
                {bins[r.receiverId] ? <LevelSeries model={model} receiverId={r.receiverId} unit={unitOf(r.kind)} /> : null}
              </article>
            ))}
          </div>
        </>
      ) : (
        <div className="empty-state">
          <p>Choose receivers and a frequency, then start the monitor to see each receiver’s waterfall and state live. Nothing is recorded here; recording happens in Sessions.</p>
        </div>
      )}
    </section>
  );
}

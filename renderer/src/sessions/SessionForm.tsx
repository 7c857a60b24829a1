import { useEffect, useMemo, useState } from 'react';
import { captureModes, type CaptureMode } from '../../../shared/domain/monitor';
import { type Receiver } from '../../../shared/domain/receiver';
import { type KnownSource, type Session, type SessionInput } from '../../../shared/domain/sessions';
import { isStationError } from '../../../shared/errors';
import { useStation } from '../station/StationContext';
import { Dialog, Field } from '../ui/Dialog';
import { errorText, fmtFreq, hzToMHzText, parseFreqHz } from '../ui/format';

const MODE_LABEL: Record<CaptureMode, string> = {
  iq: 'IQ (KiwiSDR only; best for localisation)',
  usb: 'USB',
  lsb: 'LSB',
  am: 'AM',
  cw: 'CW',
  nfm: 'NFM',
};

const defaultName = (source: KnownSource | undefined) => {
  const d = new Date();
  const stamp = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return `${source ? source.name : 'Session'} ${stamp}`;
};

/** Plan a recording session: which source, where to listen, with which receivers, how long. */
export function SessionForm({ sources, onCreated, onCancel, onAddSource }: { sources: KnownSource[]; onCreated: (s: Session) => void; onCancel: () => void; onAddSource: () => void }) {
  const station = useStation();
  const [receivers, setReceivers] = useState<Receiver[] | null>(null);
  const [sourceId, setSourceId] = useState<string>(sources.length === 1 ? sources[0]!.id : '');
  const source = useMemo(() => sources.find((s) => s.id === sourceId), [sources, sourceId]);
  const [name, setName] = useState<string>('');
  const [nameTouched, setNameTouched] = useState(false);
  const [freq, setFreq] = useState(() => hzToMHzText(source?.frequencyHz));
  const [freqTouched, setFreqTouched] = useState(false);
  const [mode, setMode] = useState<CaptureMode>('iq');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [duration, setDuration] = useState('60');
  /** "low:high" in Hz around the dial; empty = the mode's default. */
  const [passband, setPassband] = useState('');
  const [rounds, setRounds] = useState('');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    station.listReceivers().then(setReceivers, (e: Error) => setFormError(`Could not load the receivers: ${e.message}`));
  }, [station]);

  const pickSource = (id: string) => {
    setSourceId(id);
    const s = sources.find((x) => x.id === id);
    // The frequency follows the source until the operator types their own.
    if (!freqTouched) setFreq(hzToMHzText(s?.frequencyHz));
  };
  const shownName = nameTouched ? name : defaultName(source);
  const active = receivers?.filter((r) => r.active) ?? [];
  const inactive = receivers?.filter((r) => !r.active) ?? [];
  const toggle = (id: string) =>
    setChosen((c) => {
      const n = new Set(c);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const freqHz = parseFreqHz(freq);
  const iqOnOpenWebRx = mode === 'iq' && receivers?.some((r) => chosen.has(r.id) && r.kind === 'openwebrx');
  const hfOnly = freqHz !== null && freqHz > 30e6 && receivers?.some((r) => chosen.has(r.id) && r.kind === 'kiwisdr');

  const submit = async () => {
    const errs: Record<string, string> = {};
    if (freqHz === null) errs.freqHz = 'enter the frequency in MHz, e.g. 7.1 or 145.500';
    let durationSec: number | null = null;
    if (duration.trim()) {
      durationSec = Number(duration.replace(',', '.'));
      if (!Number.isFinite(durationSec) || durationSec <= 0) errs.durationSec = 'seconds, e.g. 60; leave empty to record until you stop';
    }
    let pb: SessionInput['passband'] = null;
    if (passband.trim()) {
      const m = /^\s*(-?\d+(?:\.\d+)?)\s*[:,]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(passband);
      if (!m || Number(m[2]) - Number(m[1]) < 50) errs.passband = 'low:high in Hz around the dial, e.g. -2500:2500; empty = the mode\'s default';
      else pb = { lowHz: Number(m[1]), highHz: Number(m[2]) };
    }
    let roundCount: number | null = null;
    if (rounds.trim()) {
      roundCount = Number(rounds);
      if (!Number.isInteger(roundCount) || roundCount < 1) errs.rounds = 'a whole number of key-ups, e.g. 5; empty = no limit';
    }
    if (chosen.size === 0) errs.receiverIds = 'tick at least one receiver';
    setErrors(errs);
    if (Object.keys(errs).length) {
      setFormError('Some fields need fixing (marked in red).');
      return;
    }
    const input: SessionInput = {
      name: shownName,
      sourceId: sourceId || null,
      freqHz: freqHz!,
      mode,
      passband: pb,
      rounds: roundCount,
      receiverIds: [...chosen],
      durationSec,
      notes: notes.trim() || null,
    };
    setSaving(true);
    setFormError(null);
    try {
      onCreated(await station.createSession(input));
    } catch (err) {
      if (isStationError(err) && err.issues?.length) setErrors(Object.fromEntries(err.issues.map((i) => [i.path.split('.')[0] ?? i.path, i.message])));
      setFormError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const receiverBox = (r: Receiver) => (
    <label key={r.id} className={chosen.has(r.id) ? 'chip chip-on' : 'chip'}>
      <input type="checkbox" checked={chosen.has(r.id)} onChange={() => toggle(r.id)} />
      {r.name}
      <span className={`kind kind-${r.kind}`}>{r.kind === 'kiwisdr' ? 'IQ' : 'OWRX'}</span>
    </label>
  );

  return (
    <Dialog
      error={formError}
      title="New recording session"
      onClose={onCancel}
      onSubmit={() => void submit()}
      wide
      testId="session-form"
      actions={
        <>
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? 'Creating…' : 'Create session'}
          </button>
        </>
      }
    >
      <div className="hs-grid">
        <Field
          label="Source"
          error={errors.sourceId}
          hint={
            source ? (
              `${source.lat.toFixed(4)}, ${source.lon.toFixed(4)}${source.alt !== null ? ` · ${source.alt} m` : ''} · ±${source.errorMarginM} m${source.frequencyHz ? ` · ${fmtFreq(source.frequencyHz)}` : ''}`
            ) : sources.length === 0 ? (
              <>
                No known sources yet:{' '}
                <button type="button" className="linkish" onClick={onAddSource}>
                  add one
                </button>{' '}
                to label the recordings with its position.
              </>
            ) : (
              'Without a source the recordings have no position label.'
            )
          }
        >
          <select name="source" value={sourceId} onChange={(e) => pickSource(e.target.value)}>
            <option value="">— none (unknown transmitter) —</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.frequencyHz ? ` (${fmtFreq(s.frequencyHz)})` : ''}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Session name" error={errors.name}>
          <input
            name="name"
            value={shownName}
            onChange={(e) => {
              setNameTouched(true);
              setName(e.target.value);
            }}
          />
        </Field>
        <Field label="Frequency (MHz)" error={errors.freqHz} hint={source?.frequencyHz && !freqTouched ? 'From the source' : freqHz ? fmtFreq(freqHz) : 'e.g. 7.1, 145.500 or 7100 kHz'}>
          <input
            name="freq"
            inputMode="decimal"
            value={freq}
            onChange={(e) => {
              setFreqTouched(true);
              setFreq(e.target.value);
            }}
          />
        </Field>
        <Field label="Mode" error={errors.mode}>
          <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as CaptureMode)}>
            {captureModes.map((m) => (
              <option key={m} value={m}>
                {MODE_LABEL[m]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Passband (Hz)" error={errors.passband} hint="low:high around the dial, e.g. -2500:2500; empty = the mode's default">
          <input name="passband" placeholder="mode default" value={passband} onChange={(e) => setPassband(e.target.value)} />
        </Field>
        <Field label="Rounds" error={errors.rounds} hint="Key-ups to record: it stops after the last one; empty = no limit">
          <input name="rounds" inputMode="numeric" placeholder="no limit" value={rounds} onChange={(e) => setRounds(e.target.value)} />
        </Field>
        <Field label="Duration (s)" error={errors.durationSec} hint="Recording stops by itself; empty = until you press Stop">
          <input name="duration" inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} />
        </Field>
        <div className="hs-span">
          <fieldset className={errors.receiverIds ? 'hs-receivers hs-receivers-error' : 'hs-receivers'}>
            <legend className="field-label">
              Receivers ({chosen.size} chosen)
              {active.length > 0 && (
                <span className="hs-legend-actions">
                  <button type="button" className="linkish" onClick={() => setChosen(new Set(active.filter((r) => r.kind === 'kiwisdr').map((r) => r.id)))}>
                    all KiwiSDRs
                  </button>
                  <button type="button" className="linkish" onClick={() => setChosen(new Set())}>
                    none
                  </button>
                </span>
              )}
            </legend>
            {receivers === null && <span className="muted">Loading receivers…</span>}
            {receivers?.length === 0 && <span className="muted">No receivers yet: add some on the Receivers page (Alt+1) first.</span>}
            {active.map(receiverBox)}
            {inactive.length > 0 && <span className="muted small hs-break">Inactive:</span>}
            {inactive.map(receiverBox)}
            {errors.receiverIds && <span className="field-msg hs-break">{errors.receiverIds}</span>}
          </fieldset>
          {iqOnOpenWebRx && <p className="hs-warn">OpenWebRX receivers give no IQ: choose a KiwiSDR, or another mode for them.</p>}
          {hfOnly && <p className="hs-warn">KiwiSDRs cover 0–30 MHz only: they will not hear {fmtFreq(freqHz)}.</p>}
        </div>
        <Field label="Notes" wide>
          <textarea name="notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder="Antenna, weather, anything the reviewer should know" />
        </Field>
      </div>
    </Dialog>
  );
}

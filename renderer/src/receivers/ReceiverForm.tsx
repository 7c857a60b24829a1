import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { type Receiver, type ReceiverIdentity, type ReceiverInput } from '../../../shared/domain/receiver';
import { isStationError } from '../../../shared/errors';

type FieldErrors = Record<string, string>;

interface Draft {
  name: string;
  kind: 'kiwisdr' | 'openwebrx';
  url: string;
  lat: string;
  lon: string;
  alt: string;
  active: boolean;
  notes: string;
  password: string;
}

const toDraft = (r?: Receiver): Draft => ({
  name: r?.name ?? '',
  kind: r?.kind ?? 'kiwisdr',
  url: r?.url ?? '',
  lat: r?.lat?.toString() ?? '',
  lon: r?.lon?.toString() ?? '',
  alt: r?.alt?.toString() ?? '',
  active: r?.active ?? true,
  notes: r?.notes ?? '',
  password: '',
});

function numberOrNull(s: string, field: string, errors: FieldErrors): number | null {
  if (s.trim() === '') return null;
  const n = Number(s.replace(',', '.'));
  if (!Number.isFinite(n)) errors[field] = 'must be a number, e.g. 45.07';
  return Number.isFinite(n) ? n : null;
}

/** Fills what the operator left empty from what the receiver says about itself. */
function withIdentity(d: Draft, id: ReceiverIdentity): Draft {
  const num = (cur: string, v: number | null) => (cur.trim() === '' && v !== null ? String(v) : cur);
  return { ...d, kind: id.kind, name: d.name.trim() ? d.name : id.name, lat: num(d.lat, id.lat), lon: num(d.lon, id.lon), alt: num(d.alt, id.alt) };
}

export function ReceiverForm({
  receiver,
  onSave,
  onCancel,
  identify,
}: {
  receiver?: Receiver;
  onSave: (input: ReceiverInput) => Promise<void>;
  onCancel: () => void;
  /** Asks the receiver at a URL what it is (KiwiSDR /status, OpenWebRX /status.json). */
  identify: (url: string) => Promise<ReceiverIdentity>;
}) {
  const [current, setDraft] = useState<Draft>(() => toDraft(receiver));
  const draft = current;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [asking, setAsking] = useState(false);
  const [identified, setIdentified] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  /** Returns the draft with the receiver's answer merged in, or null (the URL field says why). */
  const ask = async (d: Draft): Promise<Draft | null> => {
    if (!d.url.trim()) {
      setErrors({ url: 'enter the receiver’s web address first, e.g. http://host:8073/' });
      return null;
    }
    setAsking(true);
    try {
      const id = await identify(d.url.trim());
      const next = withIdentity(d, id);
      setDraft(next);
      setErrors({});
      setIdentified(`${id.kind === 'kiwisdr' ? 'KiwiSDR' : 'OpenWebRX'} “${id.name}” (${id.detail}${id.online ? '' : ', reports itself offline'})`);
      return next;
    } catch (err) {
      setErrors({ url: err instanceof Error ? err.message : String(err) });
      setIdentified(null);
      return null;
    } finally {
      setAsking(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldErrors = {};
    // Only a URL given: the receiver names itself (and says its kind and position).
    let draft = current;
    if (!receiver && !draft.name.trim()) {
      const asked = await ask(draft);
      if (!asked) return;
      draft = asked;
    }
    const input: ReceiverInput = {
      name: draft.name,
      kind: draft.kind,
      url: draft.url,
      lat: numberOrNull(draft.lat, 'lat', errs),
      lon: numberOrNull(draft.lon, 'lon', errs),
      alt: numberOrNull(draft.alt, 'alt', errs),
      active: draft.active,
      notes: draft.notes,
      ...(draft.password ? { password: draft.password } : {}),
    };
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setSaving(true);
    setFormError(null);
    try {
      await onSave(input);
    } catch (err) {
      if (isStationError(err) && err.issues?.length) {
        const fieldErrs: FieldErrors = {};
        for (const i of err.issues) fieldErrs[i.path.split('.').pop() ?? i.path] = i.message;
        setErrors(fieldErrs);
      }
      setFormError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  const field = (k: keyof Draft, label: string, input: ReactElement, hint?: string) => (
    <label className={errors[k] ? 'field field-error' : 'field'}>
      <span className="field-label">{label}</span>
      {input}
      {errors[k] ? <span className="field-msg">{errors[k]}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="receiver-form-title">
      <form className="dialog dialog-wide" onSubmit={submit} noValidate>
        <h2 id="receiver-form-title">{receiver ? `Edit ${receiver.name}` : 'Add a receiver'}</h2>
        <div className="form-grid">
          {field('name', 'Name', <input ref={first} name="name" value={draft.name} placeholder={receiver ? undefined : 'empty: the name the receiver reports'} onChange={(e) => set('name', e.target.value)} />)}
          {field(
            'kind',
            'Kind',
            <select name="kind" value={draft.kind} onChange={(e) => set('kind', e.target.value as Draft['kind'])}>
              <option value="kiwisdr">KiwiSDR (HF, IQ with GPS time)</option>
              <option value="openwebrx">OpenWebRX (spectrum, S-meter, audio)</option>
            </select>,
          )}
          {field(
            'url',
            'URL',
            <span className="field-row">
              <input name="url" aria-label="URL" value={draft.url} placeholder="http://host:8073/" onChange={(e) => set('url', e.target.value)} required />
              <button type="button" className="btn btn-small" disabled={asking} onClick={() => void ask(current)}>
                {asking ? 'Asking…' : 'Ask the receiver'}
              </button>
            </span>,
            identified ?? 'The receiver’s web page address; kind, name and position can be asked from it',
          )}
          {field('lat', 'Latitude (°)', <input name="lat" inputMode="decimal" value={draft.lat} onChange={(e) => set('lat', e.target.value)} />)}
          {field('lon', 'Longitude (°)', <input name="lon" inputMode="decimal" value={draft.lon} onChange={(e) => set('lon', e.target.value)} />)}
          {field('alt', 'Altitude (m)', <input name="alt" inputMode="decimal" value={draft.alt} onChange={(e) => set('alt', e.target.value)} />)}
          {field(
            'password',
            'Password',
            <input
              name="password"
              type="password"
              autoComplete="off"
              value={draft.password}
              placeholder={receiver?.hasPassword ? 'stored; type to replace' : 'only if the receiver needs one'}
              onChange={(e) => set('password', e.target.value)}
            />,
          )}
          <label className="field field-check">
            <input name="active" type="checkbox" checked={draft.active} onChange={(e) => set('active', e.target.checked)} />
            <span>Active (used for captures and health checks)</span>
          </label>
          {field('notes', 'Notes', <textarea name="notes" rows={3} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />)}
        </div>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? 'Saving…' : receiver ? 'Save changes' : 'Add receiver'}
          </button>
        </div>
      </form>
    </div>
  );
}

import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { type Receiver, type ReceiverInput } from '../../../shared/domain/receiver';
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

export function ReceiverForm({
  receiver,
  onSave,
  onCancel,
}: {
  receiver?: Receiver;
  onSave: (input: ReceiverInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(receiver));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
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

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldErrors = {};
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
          {field('name', 'Name', <input ref={first} name="name" value={draft.name} onChange={(e) => set('name', e.target.value)} required />)}
          {field(
            'kind',
            'Kind',
            <select name="kind" value={draft.kind} onChange={(e) => set('kind', e.target.value as Draft['kind'])}>
              <option value="kiwisdr">KiwiSDR (HF, IQ with GPS time)</option>
              <option value="openwebrx">OpenWebRX (spectrum, S-meter, audio)</option>
            </select>,
          )}
          {field('url', 'URL', <input name="url" value={draft.url} placeholder="http://host:8073/" onChange={(e) => set('url', e.target.value)} required />, 'The receiver’s web page address')}
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

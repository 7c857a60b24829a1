import { useState } from 'react';
import { type KnownSource, type KnownSourceInput } from '../../../shared/domain/sessions';
import { isStationError } from '../../../shared/errors';
import { Dialog, Field } from '../ui/Dialog';
import { errorText, hzToMHzText, parseFreqHz, parseNumber } from '../ui/format';

export const SOURCE_KINDS = ['beacon', 'repeater', 'handheld', 'operator', 'broadcast', 'other'] as const;
const KIND_HINT: Record<string, string> = {
  beacon: 'a fixed transmitter keying on a schedule',
  repeater: 'a fixed repeater or mast',
  handheld: 'a portable transmitter at a known point',
  operator: 'me: the handheld I carry, at a surveyed point',
  broadcast: 'a broadcast station',
  other: '',
};

interface Draft {
  name: string;
  kind: string;
  freq: string;
  lat: string;
  lon: string;
  alt: string;
  errorMarginM: string;
  powerDbm: string;
  validated: boolean;
  notes: string;
}

const toDraft = (s?: KnownSource): Draft => ({
  name: s?.name ?? '',
  kind: s?.kind ?? 'beacon',
  freq: hzToMHzText(s?.frequencyHz),
  lat: s?.lat?.toString() ?? '',
  lon: s?.lon?.toString() ?? '',
  alt: s?.alt?.toString() ?? '',
  errorMarginM: (s?.errorMarginM ?? 50).toString(),
  powerDbm: s?.powerDbm?.toString() ?? '',
  validated: s?.validated ?? false,
  notes: s?.notes ?? '',
});

/** "45.563, 8.054" or "45.563 8.054 420" pasted into the latitude field fills the position at once. */
function splitPastedPosition(text: string): { lat: string; lon: string; alt?: string } | null {
  const parts = text.trim().split(/[\s;,]+/).filter(Boolean);
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => /^-?\d+(\.\d+)?$/.test(p))) return null;
  return { lat: parts[0]!, lon: parts[1]!, ...(parts[2] ? { alt: parts[2] } : {}) };
}

export function SourceForm({ source, onSave, onCancel }: { source?: KnownSource; onSave: (input: KnownSourceInput) => Promise<void>; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(() => toDraft(source));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  const submit = async () => {
    const errs: Record<string, string> = {};
    const num = (k: keyof Draft, label: string, required = false): number | null => {
      const v = parseNumber(String(d[k]));
      if (v === undefined) errs[k] = `${label} must be a number`;
      else if (v === null && required) errs[k] = `enter the ${label}`;
      return v ?? null;
    };
    let frequencyHz: number | null = null;
    if (d.freq.trim()) {
      frequencyHz = parseFreqHz(d.freq);
      if (frequencyHz === null) errs.freq = 'enter MHz, e.g. 7.1 or 145.500 (or add kHz / Hz)';
    }
    const input: KnownSourceInput = {
      name: d.name,
      kind: d.kind.trim() || null,
      frequencyHz,
      lat: num('lat', 'latitude', true) ?? NaN,
      lon: num('lon', 'longitude', true) ?? NaN,
      alt: num('alt', 'altitude'),
      errorMarginM: num('errorMarginM', 'error margin') ?? 50,
      powerDbm: num('powerDbm', 'power'),
      validated: d.validated,
      notes: d.notes.trim() || null,
    };
    if (!d.name.trim()) errs.name = 'give the source a name';
    setErrors(errs);
    if (Object.keys(errs).length) {
      setFormError('Some fields need fixing (marked in red).');
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      await onSave(input);
    } catch (err) {
      if (isStationError(err) && err.issues?.length) setErrors(Object.fromEntries(err.issues.map((i) => [i.path.split('.').pop() ?? i.path, i.message])));
      setFormError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const operator = d.kind === 'operator';
  return (
    <Dialog
      error={formError}
      title={source ? `Edit ${source.name}` : 'Add a known source'}
      onClose={onCancel}
      onSubmit={() => void submit()}
      wide
      testId="source-form"
      actions={
        <>
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? 'Saving…' : source ? 'Save changes' : 'Add source'}
          </button>
        </>
      }
    >
      <div className="hs-grid">
        <Field label="Name" error={errors.name} wide>
          <input name="name" value={d.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. 40 m CW beacon near Biella" />
        </Field>
        <Field label="Kind" error={errors.kind} hint={d.kind === 'operator' ? undefined : (KIND_HINT[d.kind] ?? '')}>
          <select name="kind" value={SOURCE_KINDS.includes(d.kind as (typeof SOURCE_KINDS)[number]) ? d.kind : 'other'} onChange={(e) => set('kind', e.target.value)}>
            {SOURCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === 'operator' ? 'operator (my own position)' : k}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Frequency (MHz)" error={errors.freq ?? errors.frequencyHz} hint="Optional; sessions start from it">
          <input name="freq" inputMode="decimal" value={d.freq} onChange={(e) => set('freq', e.target.value)} placeholder="e.g. 7.1" />
        </Field>
        {operator && (
          <p className="hs-note hs-span">
            You are the transmitter: carry the handheld to a surveyed point and enter that point’s coordinates below (from the survey, a map or a GPS
            reading). Set the error margin to how far you may be from it.
          </p>
        )}
        <Field label="Latitude (°)" error={errors.lat} hint="You can paste “lat, lon” or “lat lon alt” here">
          <input
            name="lat"
            inputMode="decimal"
            value={d.lat}
            placeholder="e.g. 45.563"
            onChange={(e) => {
              const p = splitPastedPosition(e.target.value);
              if (p) setD((x) => ({ ...x, lat: p.lat, lon: p.lon, alt: p.alt ?? x.alt }));
              else set('lat', e.target.value);
            }}
          />
        </Field>
        <Field label="Longitude (°)" error={errors.lon}>
          <input name="lon" inputMode="decimal" value={d.lon} placeholder="e.g. 8.054" onChange={(e) => set('lon', e.target.value)} />
        </Field>
        <Field label="Altitude (m)" error={errors.alt} hint="Above sea level; optional">
          <input name="alt" inputMode="decimal" value={d.alt} placeholder="e.g. 420" onChange={(e) => set('alt', e.target.value)} />
        </Field>
        <Field label="Error margin (m)" error={errors.errorMarginM} hint="Surveyed mast ≈ 5, handheld on a hill ≈ 50">
          <input name="errorMarginM" inputMode="decimal" value={d.errorMarginM} onChange={(e) => set('errorMarginM', e.target.value)} />
        </Field>
        <Field label="Power (dBm)" error={errors.powerDbm} hint="Optional; 5 W = 37 dBm">
          <input name="powerDbm" inputMode="decimal" value={d.powerDbm} onChange={(e) => set('powerDbm', e.target.value)} />
        </Field>
        <label className="field field-check hs-span">
          <input name="validated" type="checkbox" checked={d.validated} onChange={(e) => set('validated', e.target.checked)} />
          <span>Validated (position and frequency confirmed)</span>
        </label>
        <Field label="Notes" error={errors.notes} wide>
          <textarea name="notes" rows={2} value={d.notes} onChange={(e) => set('notes', e.target.value)} />
        </Field>
      </div>
    </Dialog>
  );
}

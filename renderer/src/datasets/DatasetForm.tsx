import { useEffect, useMemo, useRef, useState } from 'react';
import { type Receiver } from '../../../shared/domain/receiver';
import { type KnownSource, type SessionSummary } from '../../../shared/domain/sessions';
import { type Dataset, type DatasetPreview, type DatasetSpec } from '../../../shared/domain/datasets';
import { isStationError } from '../../../shared/errors';
import { useStation } from '../station/StationContext';
import { Dialog, Field } from '../ui/Dialog';
import { errorText, fmtFreq, parseFreqHz, parseNumber } from '../ui/format';
import { StateBadge } from '../ui/StateBadge';
import { PreviewPanel } from './PreviewPanel';

const REVIEWED = new Set(['review', 'approved', 'rejected']);
const FIELD_NAMES: Record<string, string> = {
  freqMin: 'min frequency',
  freqMax: 'max frequency',
  minSnr: 'minimum SNR',
  train: 'train %',
  val: 'validation %',
  test: 'test %',
  seed: 'seed',
  to: 'recorded until',
};

interface Draft {
  name: string;
  description: string;
  approval: 'approved' | 'any_reviewed';
  sessionIds: Set<string>;
  sourceIds: Set<string>;
  receiverIds: Set<string>;
  freqMin: string;
  freqMax: string;
  from: string;
  to: string;
  minSnr: string;
  train: string;
  val: string;
  test: string;
  seed: string;
}

/** Turns the form into a spec, or field errors. */
function toSpec(d: Draft): { spec?: DatasetSpec; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const freq = (t: string, k: string) => {
    if (!t.trim()) return undefined;
    const hz = parseFreqHz(t);
    if (hz === null) errors[k] = 'MHz, e.g. 7.0';
    return hz ?? undefined;
  };
  const freqMinHz = freq(d.freqMin, 'freqMin');
  const freqMaxHz = freq(d.freqMax, 'freqMax');
  if (freqMinHz !== undefined && freqMaxHz !== undefined && freqMaxHz < freqMinHz) errors.freqMax = 'below the minimum';
  const minSnr = parseNumber(d.minSnr);
  if (minSnr === undefined) errors.minSnr = 'a number of dB, e.g. 6';
  const pct = (t: string, k: string) => {
    const n = parseNumber(t);
    if (n === undefined || n === null || n < 0 || n > 100) {
      errors[k] = '0–100';
      return 0;
    }
    return n;
  };
  const train = pct(d.train, 'train');
  const val = pct(d.val, 'val');
  const test = pct(d.test, 'test');
  if (!errors.train && !errors.val && !errors.test && Math.abs(train + val + test - 100) > 1e-6) errors.ratios = `train + val + test is ${+(train + val + test).toFixed(2)} %; make it 100 %`;
  const seed = parseNumber(d.seed);
  if (seed === undefined || seed === null || !Number.isInteger(seed) || seed < 0) errors.seed = 'a whole number ≥ 0';
  if (d.from && d.to && d.to < d.from) errors.to = 'before the start date';
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    spec: {
      name: d.name.trim() || 'preview',
      description: d.description.trim() || null,
      filters: {
        approval: d.approval,
        ...(d.sessionIds.size ? { sessionIds: [...d.sessionIds] } : {}),
        ...(d.sourceIds.size ? { sourceIds: [...d.sourceIds] } : {}),
        ...(d.receiverIds.size ? { receiverIds: [...d.receiverIds] } : {}),
        ...(freqMinHz !== undefined ? { freqMinHz } : {}),
        ...(freqMaxHz !== undefined ? { freqMaxHz } : {}),
        ...(d.from ? { from: d.from } : {}),
        ...(d.to ? { to: d.to } : {}),
        ...(minSnr !== null && minSnr !== undefined ? { minSnrDb: minSnr } : {}),
      },
      ratios: { train: train / 100, val: val / 100, test: test / 100 },
      seed: seed as number,
    },
  };
}

function toggle(set: Set<string>, id: string): Set<string> {
  const n = new Set(set);
  if (n.has(id)) n.delete(id);
  else n.add(id);
  return n;
}

/** Build a dataset from filters and splits, with a live preview of what it would hold. */
export function DatasetForm({
  sessions,
  sources,
  receivers,
  onCreated,
  onCancel,
}: {
  sessions: SessionSummary[];
  sources: KnownSource[];
  receivers: Receiver[];
  onCreated: (d: Dataset) => void;
  onCancel: () => void;
}) {
  const station = useStation();
  const [d, setD] = useState<Draft>({
    name: '',
    description: '',
    approval: 'approved',
    sessionIds: new Set(),
    sourceIds: new Set(),
    receiverIds: new Set(),
    freqMin: '',
    freqMax: '',
    from: '',
    to: '',
    minSnr: '',
    train: '70',
    val: '15',
    test: '15',
    seed: '1',
  });
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const [preview, setPreview] = useState<DatasetPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { spec, errors } = useMemo(() => toSpec(d), [d]);
  const specKey = spec ? JSON.stringify({ ...spec, name: '', description: null }) : null;
  const seq = useRef(0);

  // Preview as the form changes, debounced so typing a number does not fire a query per key.
  useEffect(() => {
    if (!specKey) return;
    const mine = ++seq.current;
    const t = setTimeout(() => {
      setPreviewing(true);
      station.previewDataset({ ...(JSON.parse(specKey) as DatasetSpec), name: 'preview' }).then(
        (p) => {
          if (mine !== seq.current) return;
          setPreview(p);
          setPreviewError(null);
          setPreviewing(false);
        },
        (e: unknown) => {
          if (mine !== seq.current) return;
          setPreviewError(errorText(e));
          setPreviewing(false);
        },
      );
    }, 350);
    return () => clearTimeout(t);
  }, [specKey, station]);

  const reviewed = sessions.filter((s) => REVIEWED.has(s.state));
  const allErrors = { ...errors, ...serverErrors };

  const submit = async () => {
    const errs: Record<string, string> = {};
    if (!d.name.trim()) errs.name = 'give the dataset a name';
    setServerErrors(errs);
    if (!spec || Object.keys(errs).length) {
      setFormError('Some fields need fixing (marked in red).');
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      onCreated(await station.createDataset({ ...spec, name: d.name.trim() }));
    } catch (e) {
      if (isStationError(e) && e.issues?.length) setServerErrors(Object.fromEntries(e.issues.map((i) => [i.path.split('.').pop() ?? i.path, i.message])));
      setFormError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      error={formError}
      title="New dataset"
      onClose={onCancel}
      onSubmit={() => void submit()}
      wide
      className="ds-dialog"
      testId="dataset-form"
      actions={
        <>
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Create dataset'}
          </button>
        </>
      }
    >
      <div className="ds-builder">
        <div className="ds-filters">
          <div className="hs-grid">
            <Field label="Name" error={allErrors.name}>
              <input name="name" value={d.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. hf-beacons-june" />
            </Field>
            <Field label="Recordings">
              <select name="approval" value={d.approval} onChange={(e) => set('approval', e.target.value as Draft['approval'])}>
                <option value="approved">Approved only (recommended)</option>
                <option value="any_reviewed">Any reviewed, with their decisions</option>
              </select>
            </Field>
            <Field label="Description" wide>
              <input name="description" value={d.description} onChange={(e) => set('description', e.target.value)} placeholder="optional" />
            </Field>
          </div>

          <fieldset className="ds-set">
            <legend className="field-label">Sessions {d.sessionIds.size ? `(${d.sessionIds.size} chosen)` : '(none ticked = every matching session)'}</legend>
            {reviewed.length === 0 && <span className="muted">No reviewed sessions yet: record and review sessions on the Sessions page (Alt+3).</span>}
            <div className="ds-sessions">
              {reviewed.map((s) => (
                <label key={s.id} className={d.sessionIds.has(s.id) ? 'ds-session on' : 'ds-session'}>
                  <input type="checkbox" checked={d.sessionIds.has(s.id)} onChange={() => set('sessionIds', toggle(d.sessionIds, s.id))} />
                  <span className="ds-session-name">{s.name}</span>
                  <span className="mono small muted">{fmtFreq(s.freqHz)}</span>
                  <StateBadge state={s.state} />
                </label>
              ))}
            </div>
          </fieldset>

          {sources.length > 0 && (
            <fieldset className="ds-set">
              <legend className="field-label">Sources {d.sourceIds.size ? `(${d.sourceIds.size})` : '(none ticked = all)'}</legend>
              {sources.map((s) => (
                <label key={s.id} className={d.sourceIds.has(s.id) ? 'chip chip-on' : 'chip'}>
                  <input type="checkbox" checked={d.sourceIds.has(s.id)} onChange={() => set('sourceIds', toggle(d.sourceIds, s.id))} />
                  {s.name}
                </label>
              ))}
            </fieldset>
          )}

          {receivers.length > 0 && (
            <fieldset className="ds-set">
              <legend className="field-label">Receivers {d.receiverIds.size ? `(${d.receiverIds.size})` : '(none ticked = all)'}</legend>
              {receivers.map((r) => (
                <label key={r.id} className={d.receiverIds.has(r.id) ? 'chip chip-on' : 'chip'}>
                  <input type="checkbox" checked={d.receiverIds.has(r.id)} onChange={() => set('receiverIds', toggle(d.receiverIds, r.id))} />
                  {r.name}
                </label>
              ))}
            </fieldset>
          )}

          <div className="hs-grid hs-grid-4">
            <Field label="Min frequency (MHz)" error={allErrors.freqMin ?? allErrors.freqMinHz}>
              <input name="freqMin" inputMode="decimal" value={d.freqMin} onChange={(e) => set('freqMin', e.target.value)} placeholder="any" />
            </Field>
            <Field label="Max frequency (MHz)" error={allErrors.freqMax ?? allErrors.freqMaxHz}>
              <input name="freqMax" inputMode="decimal" value={d.freqMax} onChange={(e) => set('freqMax', e.target.value)} placeholder="any" />
            </Field>
            <Field label="Recorded from" error={allErrors.from}>
              <input name="from" type="date" value={d.from} onChange={(e) => set('from', e.target.value)} />
            </Field>
            <Field label="Recorded until" error={allErrors.to}>
              <input name="to" type="date" value={d.to} onChange={(e) => set('to', e.target.value)} />
            </Field>
            <Field label="Minimum SNR (dB)" error={allErrors.minSnr ?? allErrors.minSnrDb} hint="Leaves out weaker recordings">
              <input name="minSnr" inputMode="decimal" value={d.minSnr} onChange={(e) => set('minSnr', e.target.value)} placeholder="none" />
            </Field>
          </div>

          <fieldset className="ds-set ds-split">
            <legend className="field-label">Split by session (one session never lands in two sets)</legend>
            <div className="hs-grid hs-grid-4">
              <Field label="Train %" error={allErrors.train}>
                <input name="train" inputMode="decimal" value={d.train} onChange={(e) => set('train', e.target.value)} />
              </Field>
              <Field label="Validation %" error={allErrors.val}>
                <input name="val" inputMode="decimal" value={d.val} onChange={(e) => set('val', e.target.value)} />
              </Field>
              <Field label="Test %" error={allErrors.test}>
                <input name="test" inputMode="decimal" value={d.test} onChange={(e) => set('test', e.target.value)} />
              </Field>
              <Field label="Seed" error={allErrors.seed} hint="Same seed, same split">
                <input name="seed" inputMode="numeric" value={d.seed} onChange={(e) => set('seed', e.target.value)} />
              </Field>
            </div>
            {allErrors.ratios && <span className="field-msg">{allErrors.ratios}</span>}
          </fieldset>
        </div>
        <PreviewPanel preview={preview} error={spec ? previewError : `No preview until this is fixed: ${errors.ratios ?? Object.entries(errors).map(([k, v]) => `${FIELD_NAMES[k] ?? k}: ${v}`)[0]}`} busy={previewing} />
      </div>
    </Dialog>
  );
}

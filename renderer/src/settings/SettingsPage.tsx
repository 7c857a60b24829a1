import { useEffect, useState, type FormEvent } from 'react';
import { type Settings } from '../../../shared/domain/settings';
import { isStationError } from '../../../shared/errors';
import { type StationInfo } from '../../../shared/api';
import { useToast } from '../ui/Toasts';
import { useConnectionState, useStation } from '../station/StationContext';

export function SettingsPage() {
  const station = useStation();
  const connection = useConnectionState();
  const toast = useToast();
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [info, setInfo] = useState<StationInfo | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (connection !== 'open') return;
    station.getSettings().then((s) => {
      setSaved(s);
      setDraft(s);
    }, (e: Error) => toast({ kind: 'error', text: e.message }));
    station.getStationInfo().then(setInfo, () => undefined);
  }, [station, connection, toast]);

  if (!draft || !saved) {
    return (
      <section className="page">
        <header className="page-header">
          <h1>Settings</h1>
        </header>
        <p className="muted">Loading settings…</p>
      </section>
    );
  }
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setDraft({ ...draft, [k]: v });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const next = await station.updateSettings(draft);
      setSaved(next);
      setDraft(next);
      setErrors({});
      toast({ kind: 'info', text: 'Settings saved.' });
    } catch (err) {
      if (isStationError(err) && err.issues) setErrors(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
      toast({ kind: 'error', text: (err as Error).message });
    }
  };

  return (
    <section className="page">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <form className="panel settings-form" onSubmit={submit}>
        <h2>Station</h2>
        <label className={errors.stationName ? 'field field-error' : 'field'}>
          <span className="field-label">Station name</span>
          <input name="stationName" value={draft.stationName} onChange={(e) => set('stationName', e.target.value)} />
          {errors.stationName && <span className="field-msg">{errors.stationName}</span>}
        </label>
        <label className={errors.callsign ? 'field field-error' : 'field'}>
          <span className="field-label">Callsign</span>
          <input name="callsign" value={draft.callsign} placeholder="e.g. IK1ABC" onChange={(e) => set('callsign', e.target.value.toUpperCase())} />
          <span className="field-hint">Sent to receivers as ident_user (“heimdall-station {draft.callsign || 'CALLSIGN'}”) so their admins know who listens.</span>
          {errors.callsign && <span className="field-msg">{errors.callsign}</span>}
        </label>
        <h2>Display</h2>
        <label className="field">
          <span className="field-label">Units</span>
          <select name="units" value={draft.units} onChange={(e) => set('units', e.target.value as Settings['units'])}>
            <option value="metric">Metric (m, km)</option>
            <option value="imperial">Imperial (ft, mi)</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Waterfall colour map</span>
          <select name="colorMap" value={draft.colorMap} onChange={(e) => set('colorMap', e.target.value as Settings['colorMap'])}>
            <option value="viridis">Viridis</option>
            <option value="cividis">Cividis (colour-blind safe)</option>
            <option value="turbo">Turbo</option>
            <option value="grayscale">Grayscale</option>
          </select>
        </label>
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" disabled={!dirty} onClick={() => setDraft(saved)}>
            Revert
          </button>
          <button type="submit" className="btn btn-primary" disabled={!dirty}>
            Save settings
          </button>
        </div>
      </form>
      {info && (
        <div className="panel">
          <h2>About this station</h2>
          <dl className="facts">
            <dt>Data directory</dt>
            <dd className="mono">{info.dataDir}</dd>
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Running as</dt>
            <dd>{info.runtime === 'electron' ? 'desktop app' : 'headless station (browser UI)'}</dd>
            <dt>Started</dt>
            <dd>{new Date(info.startedAt).toLocaleString()}</dd>
            {info.uncleanShutdownRecovered && (
              <>
                <dt>Last shutdown</dt>
                <dd>not clean; the database was checked and is intact</dd>
              </>
            )}
          </dl>
        </div>
      )}
    </section>
  );
}

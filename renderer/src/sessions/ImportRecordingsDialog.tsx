import { useState } from 'react';
import { type MethodOutput } from '../../../shared/api';
import { useStation } from '../station/StationContext';
import { Dialog, Field } from '../ui/Dialog';
import { errorText, parseFreqHz } from '../ui/format';

type Result = MethodOutput<'importRecordings'>;

/** Import kiwirecorder .wav files and SigMF recordings by their paths on the station machine. */
export function ImportRecordingsDialog({ onClose }: { onClose: () => void }) {
  const station = useStation();
  const [paths, setPaths] = useState('');
  const [freq, setFreq] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const list = paths
    .split(/\r?\n/)
    .map((p) => p.trim().replace(/^["']|["']$/g, ''))
    .filter(Boolean);

  const submit = async () => {
    if (list.length === 0) {
      setError('Type or paste at least one path, one per line.');
      return;
    }
    let freqHz: number | undefined;
    if (freq.trim()) {
      const f = parseFreqHz(freq);
      if (f === null) {
        setError('The frequency must be in MHz, e.g. 7.1 (or leave it empty).');
        return;
      }
      freqHz = f;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(await station.importRecordings({ paths: list, ...(freqHz ? { freqHz } : {}) }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      error={error}
      title="Import recordings"
      onClose={onClose}
      onSubmit={() => void (result ? onClose() : submit())}
      wide
      testId="import-recordings"
      actions={
        result ? (
          <>
            <button type="button" className="btn" onClick={() => setResult(null)}>
              Import more
            </button>
            <button type="submit" className="btn btn-primary">
              Done
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn btn-ghost" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Importing…' : `Import ${list.length || ''} ${list.length === 1 ? 'file' : 'files'}`}
            </button>
          </>
        )
      }
    >
      {!result ? (
        <>
          <p className="muted">
            kiwirecorder IQ <code>.wav</code> files and SigMF recordings (<code>.sigmf-meta</code> or <code>.sigmf</code> archives). Give their paths on the
            machine the station runs on, one per line; a folder imports the recordings in it. Each becomes a capture in the station’s store and syncs
            like a live one; recordings made at the same moment become one acquisition, in review on the Sessions page. A kiwirecorder set needs
            nothing else: the receiver comes from the station in each file name, its position from a <code>&lt;station&gt;.txt</code> beside it.{' '}
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd> imports.
          </p>
          <Field label="Paths (one per line)" wide>
            <textarea name="paths" rows={8} className="mono" value={paths} onChange={(e) => setPaths(e.target.value)} placeholder={'/home/me/recordings/20250601T101500Z_7100000_kiwi.wav\n/home/me/recordings/beacon.sigmf-meta'} />
          </Field>
          <Field label="Frequency (MHz)" hint="Only for files that do not say which frequency they are on">
            <input name="freq" inputMode="decimal" value={freq} onChange={(e) => setFreq(e.target.value)} placeholder="optional" />
          </Field>
        </>
      ) : (
        <div role="status">
          <p className={result.failed ? 'hs-warn' : 'hs-note'}>
            {result.imported} imported{result.failed ? `, ${result.failed} failed: fix the paths or files below and import those again.` : '.'}
          </p>
          <ul className="import-files">
            {result.files.map((f) => (
              <li key={f.file} className={f.ok ? 'ok' : 'bad'}>
                <span className="mono">{f.file}</span>
                <span>
                  {f.ok
                    ? `✓ ${f.receiverName ?? ''}${f.receiverCreated ? ' (added)' : ''}${f.gpsStamped ? `, GPS time${f.gpsRateHz ? ` at ${f.gpsRateHz.toFixed(3)} samples/s` : ''}` : ', no GPS time'}`
                    : `✗ ${f.error ?? 'failed'}`}
                </span>
              </li>
            ))}
          </ul>
          {result.acquisitions.map((a) => (
            <p key={a.sessionId} className="hs-note" data-testid="import-acquisition">
              Acquisition of {a.captures} recording{a.captures === 1 ? '' : 's'} ({a.receivers.join(', ')}) at {a.startUtc.slice(0, 19).replace('T', ' ')} UTC: in review on the
              Sessions page.
            </p>
          ))}
        </div>
      )}
    </Dialog>
  );
}

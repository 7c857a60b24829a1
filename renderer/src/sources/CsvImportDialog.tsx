import { useState } from 'react';
import { Dialog, Field } from '../ui/Dialog';
import { errorText } from '../ui/format';
import { useStation } from '../station/StationContext';

type Result = { added: number; updated: number; rejected: Array<{ line: number; reason: string }> };

/** Paste or open a CSV, check it (dry run), then import it. */
export function CsvImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (r: Result) => void }) {
  const station = useStation();
  const [text, setText] = useState('');
  const [check, setCheck] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!text.trim()) {
      setError('Paste the CSV text or open a .csv file first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await station.importKnownSourcesCsv({ text, dryRun });
      if (dryRun) setCheck(r);
      else onImported(r);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const openFile = (f: File | undefined) => {
    if (!f) return;
    f.text().then(
      (t) => {
        setText(t);
        setCheck(null);
      },
      () => setError(`Could not read ${f.name}. Open it in a text editor and paste its contents here instead.`),
    );
  };

  return (
    <Dialog
      error={error}
      title="Import known sources from CSV"
      onClose={onClose}
      onSubmit={() => void run(!check)}
      wide
      actions={
        <>
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn" onClick={() => void run(true)} disabled={busy}>
            Check
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !check}>
            Import
          </button>
        </>
      }
    >
      <p className="muted">
        Use the same columns as <em>Export CSV</em> (a header row first). Rows whose name is already in the catalogue update that source. Check first to see
        what would change.
      </p>
      <Field label="CSV text" wide>
        <textarea
          name="csv"
          rows={10}
          className="mono"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setCheck(null);
          }}
          placeholder={'name,frequency_hz,lat,lon,alt,…\nBiella beacon,7100000,45.563,8.054,420,…'}
        />
      </Field>
      <label className="btn btn-small hs-file">
        Open a .csv file…
        <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => openFile(e.target.files?.[0])} />
      </label>
      {check && (
        <div className="hs-note" role="status">
          {check.added} to add, {check.updated} to update{check.rejected.length ? `, ${check.rejected.length} ${check.rejected.length === 1 ? 'row' : 'rows'} rejected (fix them, or import the rest):` : '. Press Import to apply.'}
          {check.rejected.length > 0 && (
            <ul className="hs-rejects">
              {check.rejected.slice(0, 20).map((r) => (
                <li key={r.line}>
                  line {r.line}: {r.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Dialog>
  );
}

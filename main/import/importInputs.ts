import fs from 'node:fs';
import path from 'node:path';
import { RECORDINGS_TO_GIVE, recordingKindOf } from '../recordings/openRecording';

/** One recording to open (`path`), or an input that is not one (`error`); labels are the paths as given. */
export type ImportInput = { label: string; path: string } | { label: string; error: string };

/** Files as given, folders walked (sorted, hidden entries skipped), each recording once. */
export function expandInputs(files: string[]): ImportInput[] {
  const out: ImportInput[] = [];
  const seen = new Set<string>();
  const visit = (file: string, label: string, explicit: boolean) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      out.push({ label, error: `there is no such file or folder; ${RECORDINGS_TO_GIVE}` });
      return;
    }
    const real = fs.realpathSync(file);
    if (st.isDirectory()) {
      if (seen.has(real)) return;
      seen.add(real);
      const before = out.length;
      const entries = fs.readdirSync(file).filter((n) => !n.startsWith('.')).sort();
      const names = new Set(entries);
      for (const name of entries) {
        const full = path.join(file, name);
        const kind = recordingKindOf(name);
        let isDir = false;
        try {
          isDir = fs.statSync(full).isDirectory();
        } catch {
          // a dangling link: not a recording
        }
        // A .sigmf-data is imported through its .sigmf-meta; alone, it reports the missing meta.
        if (isDir || (kind && kind !== 'data') || (kind === 'data' && !names.has(name.replace(/\.sigmf-data$/i, '.sigmf-meta')))) visit(full, path.join(label, name), false);
      }
      if (explicit && out.length === before) out.push({ label, error: `the folder holds no recordings to import; ${RECORDINGS_TO_GIVE}` });
      return;
    }
    const kind = recordingKindOf(file);
    if (!kind) {
      if (explicit) out.push({ label, error: `this is not a recording the station imports; ${RECORDINGS_TO_GIVE}` });
      return;
    }
    const target = kind === 'data' ? file.replace(/\.sigmf-data$/i, '.sigmf-meta') : file;
    const key = kind === 'data' ? path.resolve(target) : real;
    if (seen.has(key)) return;
    seen.add(key);
    if (kind === 'data' && fs.existsSync(target)) seen.add(fs.realpathSync(target));
    out.push({ label: kind === 'data' ? label.replace(/\.sigmf-data$/i, '.sigmf-meta') : label, path: target });
  };
  for (const f of files) visit(f, f, true);
  return out;
}

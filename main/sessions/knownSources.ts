import { knownSourceInputSchema, type KnownSource, type KnownSourceInput } from '../../shared/domain/sessions';
import { StationError, invalidInput } from '../../shared/errors';
import { uuidv7 } from '../store/ids';
import { type KnownSourceRow, type SessionsRepo } from '../store/sessionsRepo';
import { csvLine, parseCsv } from '../base/csv';

export const SOURCE_CSV_COLUMNS = ['name', 'frequency_hz', 'lat', 'lon', 'alt_m', 'error_margin_m', 'power_dbm', 'kind', 'validated', 'notes'] as const;

export function toKnownSource(r: KnownSourceRow): KnownSource {
  return {
    id: r.id,
    name: r.name,
    frequencyHz: r.frequency_hz,
    lat: r.lat ?? 0,
    lon: r.lon ?? 0,
    alt: r.alt ?? null,
    errorMarginM: r.error_margin_m,
    powerDbm: r.power_dbm,
    kind: r.source_type,
    validated: r.is_validated === 1,
    notes: r.notes ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * The catalogue of known transmitters: CRUD and CSV in the same columns both ways; `changed`
 * (sources.changed) fires after each change that is stored.
 */
export function createKnownSources(repo: SessionsRepo, changed: () => void = () => undefined) {
  const save = (id: string, input: ReturnType<typeof knownSourceInputSchema.parse>, createdAt: string): KnownSource => {
    const t = new Date().toISOString();
    repo.saveSource({
      id,
      name: input.name,
      description: null,
      frequency_hz: input.frequencyHz,
      lat: input.lat,
      lon: input.lon,
      alt: input.alt,
      power_dbm: input.powerDbm,
      source_type: input.kind,
      is_validated: input.validated ? 1 : 0,
      error_margin_m: input.errorMarginM,
      notes: input.notes,
      created_at: createdAt,
      updated_at: t,
    });
    return toKnownSource(repo.getSource(id)!);
  };
  const get = (id: string): KnownSource => {
    const r = repo.getSource(id);
    if (!r) throw new StationError('not_found', `No known source with id ${id}. It may have been deleted; reload the list.`);
    return toKnownSource(r);
  };
  const assertNameFree = (name: string, id: string | null) => {
    const other = repo.sourceByName(name);
    if (other && other.id !== id) throw new StationError('conflict', `A known source named "${name}" already exists. Choose another name or edit that one.`);
  };
  return {
    list: (): KnownSource[] => repo.listSources().map(toKnownSource),
    get,
    create(input: ReturnType<typeof knownSourceInputSchema.parse>): KnownSource {
      assertNameFree(input.name, null);
      const created = save(uuidv7(), input, new Date().toISOString());
      changed();
      return created;
    },
    update(id: string, patch: Partial<KnownSourceInput>): KnownSource {
      const cur = get(id);
      const merged = knownSourceInputSchema.safeParse({ ...cur, ...patch });
      if (!merged.success) throw invalidInput('The known source', merged.error);
      assertNameFree(merged.data.name, id);
      const updated = save(id, merged.data, cur.createdAt);
      changed();
      return updated;
    },
    delete(id: string): boolean {
      get(id);
      const n = repo.sessionsUsingSource(id);
      if (n > 0) throw new StationError('conflict', `This source is the ground truth of ${n} session(s), so it cannot be deleted. Edit it instead, or delete those sessions first.`);
      const deleted = repo.deleteSource(id);
      changed();
      return deleted;
    },
    exportCsv(): string {
      const lines = [SOURCE_CSV_COLUMNS.join(',')];
      for (const s of repo.listSources().map(toKnownSource)) {
        lines.push(csvLine([s.name, s.frequencyHz, s.lat, s.lon, s.alt, s.errorMarginM, s.powerDbm, s.kind, s.validated, s.notes]));
      }
      return `${lines.join('\r\n')}\r\n`;
    },
    /** Rows whose name exists update that source; a bad row is reported with its line and skipped. */
    importCsv(text: string, dryRun: boolean): { added: number; updated: number; rejected: { line: number; reason: string }[] } {
      let rows;
      try {
        rows = parseCsv(text);
      } catch (e) {
        throw new StationError('invalid_input', `The CSV could not be read: ${(e as Error).message}. Fix the file and import again.`);
      }
      const header = rows.shift();
      const cols = header?.fields.map((h) => h.trim().toLowerCase()) ?? [];
      for (const need of ['name', 'lat', 'lon']) {
        if (!cols.includes(need)) throw new StationError('invalid_input', `The CSV has no "${need}" column. The first line must name the columns: ${SOURCE_CSV_COLUMNS.join(',')}.`);
      }
      const at = (f: string[], name: string) => {
        const i = cols.indexOf(name);
        const v = i >= 0 ? f[i]?.trim() : undefined;
        return v === undefined || v === '' ? undefined : v;
      };
      const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
      let added = 0;
      let updated = 0;
      const rejected: { line: number; reason: string }[] = [];
      const numeric = ['frequency_hz', 'lat', 'lon', 'alt_m', 'error_margin_m', 'power_dbm'];
      for (const { line, fields } of rows) {
        // Plain-words reasons for the usual spreadsheet mistakes, before the schema's own checks.
        if (fields.length < cols.length) {
          rejected.push({ line, reason: `line ${line} has ${fields.length} column${fields.length === 1 ? '' : 's'}; the header has ${cols.length}` });
          continue;
        }
        const missing = ['name', 'lat', 'lon'].filter((c) => at(fields, c) === undefined);
        const notNumbers = numeric.filter((c) => at(fields, c) !== undefined && !Number.isFinite(Number(at(fields, c))));
        if (missing.length || notNumbers.length) {
          rejected.push({
            line,
            reason: [missing.length ? `empty ${missing.join(', ')}` : '', ...notNumbers.map((c) => `${c} "${at(fields, c)}" is not a number`)].filter(Boolean).join('; '),
          });
          continue;
        }
        const parsed = knownSourceInputSchema.safeParse({
          name: at(fields, 'name'),
          frequencyHz: num(at(fields, 'frequency_hz')) ?? null,
          lat: num(at(fields, 'lat')),
          lon: num(at(fields, 'lon')),
          alt: num(at(fields, 'alt_m')) ?? null,
          errorMarginM: num(at(fields, 'error_margin_m')),
          powerDbm: num(at(fields, 'power_dbm')) ?? null,
          kind: at(fields, 'kind') ?? null,
          validated: /^(true|yes|1)$/i.test(at(fields, 'validated') ?? ''),
          notes: at(fields, 'notes') ?? null,
        });
        if (!parsed.success) {
          rejected.push({ line, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ') });
          continue;
        }
        const existing = repo.sourceByName(parsed.data.name);
        if (!dryRun) save(existing?.id ?? uuidv7(), parsed.data, existing?.created_at ?? new Date().toISOString());
        if (existing) updated++;
        else added++;
      }
      if (!dryRun && added + updated > 0) changed();
      return { added, updated, rejected };
    },
  };
}
export type KnownSources = ReturnType<typeof createKnownSources>;

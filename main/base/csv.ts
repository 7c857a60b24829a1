/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled. The parser
 * accepts CRLF or LF, quoted fields spanning lines, and a UTF-8 BOM (spreadsheets add one).
 */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const t = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  // Edge spaces are quoted too: spreadsheets trim them otherwise.
  return /[",\r\n]|^\s|\s$/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvField).join(',');
}

/** Rows of fields with the 1-based line each row started on. Throws on an unterminated quote. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let rowLine = 1;
  let quoted = false;
  let any = false;
  const endRow = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
    any = false;
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (!any) {
      rowLine = line;
      any = true;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
    } else field += c;
  }
  if (quoted) throw new Error(`line ${rowLine}: a quoted field is never closed (missing ")`);
  if (any || field !== '' || fields.length) endRow();
  return rows;
}

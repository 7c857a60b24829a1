/**
 * Public receiver lists ship as JavaScript (`var x = [ {...}, ];`): JSON apart from the assignment
 * and trailing commas. This extracts the array and parses it as JSON, refusing anything else
 * (we never evaluate the file).
 */
export function parseJsArrayAssignment(text: string, variable: string): unknown[] {
  const start = new RegExp(`\\b${variable}\\s*=\\s*\\[`).exec(text);
  if (!start) throw new Error(`no "var ${variable} = [" in the file`);
  const open = start.index + start[0].length - 1;
  const close = findMatchingBracket(text, open);
  const body = text.slice(open, close + 1).replace(/,(\s*[\]}])/g, '$1');
  const parsed: unknown = JSON.parse(body);
  if (!Array.isArray(parsed)) throw new Error(`${variable} is not an array`);
  return parsed;
}

function findMatchingBracket(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error('the array is not closed (the file looks truncated)');
}

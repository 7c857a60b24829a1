/** KiwiSDR "MSG" frames: `MSG key=value key2=value2 flag`, values percent-encoded where needed. */
export type KiwiMsg = Map<string, string>;

function decodeValue(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function parseMsgText(text: string): KiwiMsg {
  const out: KiwiMsg = new Map();
  for (const part of text.trim().split(/\s+/)) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq < 0) out.set(part, '');
    else out.set(part.slice(0, eq), decodeValue(part.slice(eq + 1)));
  }
  return out;
}

/** Server frames carry a 3-byte tag; a MSG frame is `MSG ` + text. */
export function frameTag(frame: Uint8Array): string {
  return frame.length >= 3 ? String.fromCharCode(frame[0]!, frame[1]!, frame[2]!) : '';
}

const latin1 = new TextDecoder('latin1');
export function parseMsgFrame(frame: Uint8Array): KiwiMsg | null {
  if (frameTag(frame) !== 'MSG') return null;
  return parseMsgText(latin1.decode(frame.subarray(4)));
}

export function encodeMsgFrame(pairs: Record<string, string | number> | string): Uint8Array {
  const text =
    typeof pairs === 'string'
      ? pairs
      : Object.entries(pairs)
          .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
          .join(' ');
  return new TextEncoder().encode(`MSG ${text}`);
}

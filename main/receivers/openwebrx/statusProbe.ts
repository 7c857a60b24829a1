import { owrxStatusSchema, type OwrxStatus } from './messages';

/** GET <receiver>/status.json, validated; errors say what failed and what to check. */
export async function probeOwrxStatus(receiverUrl: string, timeoutMs = 5000): Promise<OwrxStatus & { latencyMs: number }> {
  const url = new URL('status.json', receiverUrl.endsWith('/') ? receiverUrl : `${receiverUrl}/`);
  const t0 = performance.now();
  let body: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`answered HTTP ${res.status}`);
    body = await res.json();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`${url} could not be read (${why}); check the receiver URL and that it is an OpenWebRX`);
  }
  const parsed = owrxStatusSchema.safeParse(body);
  if (!parsed.success) throw new Error(`${url} is not an OpenWebRX status reply (${parsed.error.issues[0]?.message ?? 'unexpected shape'}); check the receiver URL`);
  return { ...parsed.data, latencyMs: Math.round(performance.now() - t0) };
}

import { owrxStatusSchema, type OwrxStatus } from './messages';

/** GET <receiver>/status.json, validated; errors say what failed. */
export async function probeOwrxStatus(receiverUrl: string, timeoutMs = 5000): Promise<OwrxStatus & { latencyMs: number }> {
  const url = new URL('status.json', receiverUrl.endsWith('/') ? receiverUrl : `${receiverUrl}/`);
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  const parsed = owrxStatusSchema.safeParse(await res.json());
  if (!parsed.success) throw new Error(`${url} is not an OpenWebRX status reply (${parsed.error.issues[0]?.message ?? 'unexpected shape'})`);
  return { ...parsed.data, latencyMs: Math.round(performance.now() - t0) };
}

/** The SDR profile whose band holds `freqHz` (id "<sdr>|<profile>" as selectprofile wants it), if any. */
export function profileFor(status: OwrxStatus, freqHz: number): string | null {
  for (const [si, sdr] of status.sdrs.entries()) {
    for (const [pi, p] of sdr.profiles.entries()) {
      if (Math.abs(freqHz - p.center_freq) < p.sample_rate / 2) return `${sdr.name ?? si}|${p.name ?? pi}`;
    }
  }
  return null;
}

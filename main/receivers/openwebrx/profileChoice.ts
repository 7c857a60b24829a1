import { type OwrxStatus } from './messages';

/** One entry of the `profiles` message: id "<sdr id>|<profile id>", name "<sdr name> <profile name>". */
export interface OfferedProfile {
  id: string;
  name: string;
}

/**
 * The profile to select for `freqHz`, as the id `selectprofile` wants. /status.json knows the bands
 * but only by display name; the `profiles` message knows the ids, named "<sdr name> <profile name>".
 * Of the profiles covering the frequency, the one where it sits nearest the centre wins (band edges
 * roll off). Null when no offered profile covers it.
 */
export function chooseProfile(status: OwrxStatus, offered: readonly OfferedProfile[], freqHz: number): string | null {
  let best: { id: string; score: number } | null = null;
  for (const sdr of status.sdrs) {
    for (const p of sdr.profiles) {
      const score = Math.abs(freqHz - p.center_freq) / (p.sample_rate / 2);
      if (!(score < 1)) continue;
      const id = offered.find((o) => o.name === `${sdr.name} ${p.name}`)?.id;
      if (id && (!best || score < best.score)) best = { id, score };
    }
  }
  return best?.id ?? null;
}

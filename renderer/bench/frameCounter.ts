/** Counts animation frames for `ms` and publishes the rate on window.__bench (read by bench/ui.ts). */
export function countFrames(ms: number): Promise<{ fps: number; frames: number; worstFrameMs: number }> {
  return new Promise((resolve) => {
    let frames = 0;
    let worst = 0;
    let last = performance.now();
    const t0 = last;
    const tick = (now: number) => {
      frames++;
      worst = Math.max(worst, now - last);
      last = now;
      if (now - t0 < ms) requestAnimationFrame(tick);
      else resolve({ fps: (frames * 1000) / (now - t0), frames, worstFrameMs: worst });
    };
    requestAnimationFrame(tick);
  });
}

declare global {
  interface Window {
    __bench?: unknown;
  }
}

const duration = Number(new URLSearchParams(location.search).get('ms') ?? 5000);
if (location.pathname.endsWith('empty.html')) void countFrames(duration).then((r) => (window.__bench = r));

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { axisTicks, formatMHz, hzToX, niceStep, spanOf } from '../ui/frequencyView';
import { type LiveView } from './liveView';
import './live.css';

const LABEL_PX_PER_CHAR = 9.5; // 16px semi-bold tabular digits
const LABEL_GAP = 18;

/**
 * The frequency scale under a waterfall, in MHz, from the frequencies its rows really cover (or the
 * shared zoom window): round-numbered labelled ticks with minor ticks between, in large type.
 */
export function FrequencyAxis({ view, receiverId }: { view: LiveView; receiverId: string }) {
  useSyncExternalStore(view.subscribeLayout, view.getLayoutVersion);
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const range = view.rangeOf(receiverId);
  if (!range || width <= 0) return <div ref={ref} className="freq-axis" aria-hidden="true" />;
  // As many labels as fit with room between them (width from a long label at a fine step).
  const sample = formatMHz(range.hi, niceStep(spanOf(range) / 8)).length;
  const ticks = axisTicks(range, width / (sample * LABEL_PX_PER_CHAR + LABEL_GAP));
  const labels = ticks.majors
    .map((hz) => ({ hz, x: hzToX(hz, range, width), text: formatMHz(hz, ticks.step) }))
    // Keep a label only if it fits whole.
    .filter((l) => l.x - (l.text.length * LABEL_PX_PER_CHAR) / 2 >= 0 && l.x + (l.text.length * LABEL_PX_PER_CHAR) / 2 <= width);
  return (
    <div
      ref={ref}
      className="freq-axis"
      role="img"
      aria-label={`Frequency axis ${formatMHz(range.lo, ticks.step)} to ${formatMHz(range.hi, ticks.step)} MHz`}
      data-lo-hz={range.lo}
      data-hi-hz={range.hi}
    >
      {ticks.minors.map((hz) => (
        <span key={`m${hz}`} className="freq-tick minor" style={{ left: hzToX(hz, range, width) }} />
      ))}
      {ticks.majors.map((hz) => (
        <span key={`M${hz}`} className="freq-tick major" style={{ left: hzToX(hz, range, width) }} />
      ))}
      {labels.map((l) => (
        <span key={`l${l.hz}`} className="freq-label" style={{ left: l.x }} data-hz={l.hz}>
          {l.text}
        </span>
      ))}
      <span className="freq-unit">MHz</span>
    </div>
  );
}

import { useMemo, type ReactNode } from 'react';
import { SpectrumPlot, type SpectrumSource, type SpectrumTrace } from '../ui/SpectrumPlot';
import { formatMHz } from '../ui/frequencyView';
import { rowToDb } from '../ui/rowMath';
import { attachFrequencyPointer } from './frequencyPointer';
import { type LiveModel } from './liveModel';
import { DIAL_COLOUR } from './overlay';

const HEIGHT = 240;
const DIAL = { colour: DIAL_COLOUR, width: 2, dash: [6, 5] };

/**
 * The newest row of one receiver as a spectrum in MHz and dB (bytes mapped back onto the batch's
 * minDb..maxDb), over the same frequency window as the waterfalls, polled every 250 ms and on
 * every layout change of the view.
 */
export function liveSpectrumSource(model: LiveModel, receiverId: string, onTune: (hz: number) => void): SpectrumSource {
  const view = model.view;
  let trace: SpectrumTrace = { x: new Float64Array(0), db: new Float64Array(0), geometry: 0, version: -1, dbLo: -140, dbHi: -40 };
  let bins = 0;
  let startHz = NaN;
  let spanHz = NaN;
  const mhz = (hz: number | null) => (hz === null ? null : hz / 1e6);
  return {
    read() {
      const slot = model.slot(receiverId);
      if (!slot.rows) return null;
      if (slot.bins !== bins || slot.startHz !== startHz || slot.spanHz !== spanHz) {
        const sized = slot.bins === bins;
        bins = slot.bins;
        startHz = slot.startHz;
        spanHz = slot.spanHz;
        const x = sized ? trace.x : new Float64Array(bins);
        const binHz = spanHz / bins;
        for (let i = 0; i < bins; i++) x[i] = (startHz + (i + 0.5) * binHz) / 1e6;
        trace = { ...trace, x, db: sized ? trace.db : new Float64Array(bins), geometry: trace.geometry + 1, version: -1 };
      }
      if (slot.batches !== trace.version) {
        trace.version = slot.batches;
        rowToDb(slot.rows, slot.offset, bins, slot.minDb, slot.maxDb, trace.db);
      }
      trace.dbLo = Math.floor(slot.minDb / 10) * 10;
      trace.dbHi = Math.ceil(slot.maxDb / 10) * 10;
      return trace;
    },
    xTicks: (v, incr) => formatMHz(v * 1e6, incr * 1e6),
    window() {
      const r = view.rangeOf(receiverId);
      return r ? [r.lo / 1e6, r.hi / 1e6] : null;
    },
    marker: { ...DIAL, at: () => mhz(view.dialHz) },
    cursor: { at: () => mhz(view.cursorHz), subscribe: view.subscribeCursor },
    subscribe(fn) {
      const timer = setInterval(fn, 250);
      const offLayout = view.subscribeLayout(fn);
      return () => {
        clearInterval(timer);
        offLayout();
      };
    },
    attachPointer: (el) => attachFrequencyPointer(el, { view, receiverId, onTune }),
  };
}

/**
 * The Live page's spectrum of one receiver, with peak hold; hover, wheel, drag and click act like
 * on a waterfall. Give it key={receiverId}: peak hold starts afresh for another receiver.
 */
export function LiveSpectrum({ model, receiverId, unit, onTune, title }: { model: LiveModel; receiverId: string; unit: string; onTune: (hz: number) => void; title?: ReactNode }) {
  const source = useMemo(() => liveSpectrumSource(model, receiverId, onTune), [model, receiverId, onTune]);
  return <SpectrumPlot source={source} unit={unit} height={HEIGHT} tools={{ title, receiverId, markerKey: 'dial' }} />;
}

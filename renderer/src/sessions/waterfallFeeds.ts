import { useEffect, useMemo, useState } from 'react';
import { type WaterfallFeed } from '../ui/waterfall/WaterfallCanvas';
import { useStation } from '../station/StationContext';

export interface BandInfo {
  bins: number;
  startHz: number;
  spanHz: number;
}

type Sink = (rows: Uint8Array, count: number, bins: number, times: number[]) => void;

/**
 * Splits one `waterfall` subscription (the session's receivers) into a stable feed per receiver,
 * and remembers each receiver's band (bins, start, span) for the axis.
 */
export function useWaterfallFeeds(receiverIds: string[], active: boolean) {
  const station = useStation();
  const [bands, setBands] = useState<Record<string, BandInfo>>({});
  const hub = useMemo(() => {
    const sinks = new Map<string, Set<Sink>>();
    const feeds = new Map<string, WaterfallFeed>();
    const add = (id: string, sink: Sink) => {
      const set = sinks.get(id) ?? new Set();
      set.add(sink);
      sinks.set(id, set);
      return () => void set.delete(sink);
    };
    return {
      sinks,
      add,
      feed(id: string): WaterfallFeed {
        const known = feeds.get(id);
        if (known) return known;
        const created: WaterfallFeed = { subscribe: (sink) => add(id, (rows, count, bins) => sink(rows, count, bins)) };
        feeds.set(id, created);
        return created;
      },
    };
  }, []);
  const key = receiverIds.join(',');
  useEffect(() => {
    if (!active || !key) return;
    return station.subscribe('waterfall', { receiverIds: key.split(',') }, (ev) => {
      const h = ev.header;
      if (!ev.body) return;
      setBands((b) => {
        const old = b[h.receiverId];
        return old && old.bins === h.bins && old.startHz === h.startHz && old.spanHz === h.spanHz ? b : { ...b, [h.receiverId]: { bins: h.bins, startHz: h.startHz, spanHz: h.spanHz } };
      });
      for (const sink of hub.sinks.get(h.receiverId) ?? []) sink(ev.body, h.rows, h.bins, h.times);
    });
  }, [station, active, key, hub]);
  return { bands, feed: hub.feed, onRows: hub.add };
}

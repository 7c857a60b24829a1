/**
 * Live listening for a page of receiver cards (Live monitor, recording view): subscribes the
 * `audio` stream for the audible receivers shown here, feeds the player, keeps each receiver's
 * demodulator state (getListen, listen.changed events, chunk headers), applies volumes and
 * mute-all, and the M key.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ListenSettings, type ListenState } from '../../../../shared/domain/audio';
import { useToast } from '../Toasts';
import { shortcutAllowed } from '../keyboard';
import { useStation } from '../../station/StationContext';
import { audioEngine, LIVE_BUFFER, type SourceStats } from './audioEngine';
import { listenStore, useListenView } from './listenStore';

const liveKey = (id: string) => `live:${id}`;
const same = (a: ListenSettings, b: ListenSettings) => a.mode === b.mode && a.lowHz === b.lowHz && a.highHz === b.highHz && a.bfoHz === b.bfoHz;

/** M toggles mute-all wherever a page has speakers (not while typing, not in a dialog). */
export function useMuteKey(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || (e.key !== 'm' && e.key !== 'M') || !shortcutAllowed(e)) return;
      e.preventDefault();
      listenStore.toggleMute();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Per-source figures from the player, at most four times a second into React. */
export function usePlayerStats(): ReadonlyMap<string, SourceStats> {
  const [stats, setStats] = useState<ReadonlyMap<string, SourceStats>>(new Map());
  useEffect(() => {
    let last = 0;
    return audioEngine.onStats((s) => {
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      setStats(s);
    });
  }, []);
  return stats;
}

export function useLiveAudio(receiverIds: readonly string[], active: boolean) {
  const station = useStation();
  const toast = useToast();
  const view = useListenView();
  const [states, setStates] = useState<Record<string, ListenState>>({});
  const key = receiverIds.join(',');
  const audible = useMemo(() => view.audible.filter((id) => key.split(',').includes(id)), [view.audible, key]);
  const audibleKey = audible.join(',');
  useMuteKey();

  // How each receiver is heard: asked once, again whenever any window changes it.
  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = () =>
      station.getListen().then(
        (list) => setStates(Object.fromEntries(list.map((s) => [s.receiverId, s]))),
        () => undefined,
      );
    void load();
    const off = station.subscribe('stationEvents', {}, (e) => {
      if (e.header.type !== 'listen.changed' || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void load();
      }, 100);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [station, active, key]);

  // The stream of what is audible here; each chunk goes straight to the player.
  useEffect(() => {
    if (!active || !audibleKey) return;
    const ids = audibleKey.split(',');
    const off = station.subscribe(
      'audio',
      { receiverIds: ids },
      (ev) => {
        const h = ev.header;
        if (ev.body) audioEngine.push(liveKey(h.receiverId), h, ev.body, LIVE_BUFFER);
        setStates((s) => {
          const old = s[h.receiverId];
          return old && same(old.listen, h.listen) ? s : old ? { ...s, [h.receiverId]: { ...old, listen: h.listen, sampleRate: h.sampleRate } } : s;
        });
      },
      (e) => toast({ kind: 'error', text: `No audio: ${e.message}` }),
    );
    return () => {
      off();
      for (const id of ids) audioEngine.remove(liveKey(id));
    };
  }, [station, active, audibleKey, toast]);

  useEffect(() => {
    for (const id of audible) audioEngine.setGain(liveKey(id), listenStore.volume(id));
  }, [audible, view.volumes]);
  useEffect(() => audioEngine.setMuted(view.muted), [view.muted]);

  // Demodulator changes: shown at once, sent at most every 150 ms while dragging, and on release.
  const pending = useRef(new Map<string, { timer: ReturnType<typeof setTimeout> | null; listen: ListenSettings }>());
  const setListen = useCallback(
    (receiverId: string, listen: ListenSettings, commit = true) => {
      setStates((s) => (s[receiverId] ? { ...s, [receiverId]: { ...s[receiverId]!, listen } } : s));
      const p = pending.current.get(receiverId) ?? { timer: null, listen };
      p.listen = listen;
      pending.current.set(receiverId, p);
      const send = () => {
        p.timer = null;
        station.setListen({ receiverId, listen: p.listen }).then(
          (st) => setStates((s) => ({ ...s, [receiverId]: st })),
          (e: Error) => {
            toast({ kind: 'error', text: `The demodulator was not changed: ${e.message}` });
            void station.getListen().then((list) => setStates(Object.fromEntries(list.map((x) => [x.receiverId, x]))), () => undefined);
          },
        );
      };
      if (commit) {
        if (p.timer) clearTimeout(p.timer);
        send();
      } else if (!p.timer) p.timer = setTimeout(send, 150);
    },
    [station, toast],
  );

  const toggle = useCallback(
    (receiverId: string, addToMix: boolean) => {
      // Inside the click: browsers start audio only on a user gesture.
      audioEngine.start().catch((e: Error) => toast({ kind: 'error', text: `This browser could not start audio (${e.message}).` }));
      listenStore.toggle(receiverId, addToMix);
    },
    [toast],
  );

  return { audible, states, setListen, toggle, view };
}

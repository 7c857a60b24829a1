/** Who is audible (renderer/src/ui/audio/listenStore.ts): solo by default, a mix on demand, mute all. */
import { beforeEach, describe, expect, it } from 'vitest';
import { listenStore } from '../../../../../renderer/src/ui/audio/listenStore';

beforeEach(() => {
  listenStore.setMix(false);
  listenStore.only([]);
  if (listenStore.get().muted) listenStore.toggleMute();
});

describe('listenStore', () => {
  it('plays one receiver at a time: another speaker moves the sound, the same one stops it', () => {
    listenStore.toggle('a');
    expect(listenStore.get().audible).toEqual(['a']);
    listenStore.toggle('b');
    expect(listenStore.get().audible).toEqual(['b']);
    listenStore.toggle('b');
    expect(listenStore.get().audible).toEqual([]);
  });

  it('mixes on demand: Shift adds and removes, Mix mode makes every speaker add, leaving Mix keeps the first', () => {
    listenStore.toggle('a');
    listenStore.toggle('b', true);
    expect(listenStore.get().audible).toEqual(['a', 'b']);
    listenStore.toggle('a', true);
    expect(listenStore.get().audible).toEqual(['b']);
    listenStore.setMix(true);
    listenStore.toggle('c');
    listenStore.toggle('d');
    expect(listenStore.get().audible).toEqual(['b', 'c', 'd']);
    listenStore.setMix(false);
    expect(listenStore.get().audible).toEqual(['b']);
  });

  it('mutes all and unmutes when a speaker is chosen; forgets receivers that left the page', () => {
    listenStore.toggle('a');
    listenStore.toggleMute();
    expect(listenStore.get().muted).toBe(true);
    listenStore.toggle('b');
    expect(listenStore.get()).toMatchObject({ muted: false, audible: ['b'] });
    listenStore.retain(['a']);
    expect(listenStore.get().audible).toEqual([]);
  });

  it('keeps a volume per receiver within 0..1', () => {
    listenStore.setVolume('a', 1.7);
    listenStore.setVolume('b', 0.25);
    expect(listenStore.volume('a')).toBe(1);
    expect(listenStore.volume('b')).toBe(0.25);
    expect(listenStore.volume('z')).toBe(0.8);
  });
});

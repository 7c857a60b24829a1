/** The CLI's argument parsers and id look-up: what a user types, what they get back. */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { frequencyArg, momentArg, toUnixMs } from '../../../main/commands/args';
import { pick, shortId } from '../../../main/commands/pick';
import { isStationError } from '../../../shared/errors';

const caught = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe('--freq', () => {
  const f = frequencyArg('--freq');
  it('takes Hz, or a number with a unit', () => {
    expect(f('7100000')).toBe(7_100_000);
    expect(f('7.1M')).toBe(7_100_000);
    expect(f('7.1MHz')).toBe(7_100_000);
    expect(f('7100k')).toBe(7_100_000);
    expect(f('145.5 MHz')).toBe(145_500_000);
    expect(f('77.5kHz')).toBe(77_500);
  });
  it('says the unit is Hz when a unit was forgotten, with the value meant', () => {
    const e = caught(() => f('7.1'));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toBe('--freq is in Hz: 7.1 is 7.1 Hz, below 10 kHz. For 7.1 MHz write 7100000 or 7.1M.');
    expect(caught(() => f('seven')).message).toMatch(/--freq is a frequency in Hz, e\.g\. 7100000/);
    expect(caught(() => f('7.1Q')).message).toMatch(/in Hz/);
  });
});

describe('moments in a recording', () => {
  it('are seconds after the start, or UTC', () => {
    const m = momentArg('--start');
    expect(toUnixMs(m('12.5'), 1_000_000)).toBe(1_012_500);
    expect(toUnixMs(m('2026-11-22T10:00:05.2Z'), 0)).toBe(Date.parse('2026-11-22T10:00:05.2Z'));
    expect(caught(() => m('soon')).message).toMatch(/seconds after the recording started/);
  });
});

describe('ids, short ids and names', () => {
  // UUIDv7s made in the same minute share their first characters: the short form is the end.
  const items = [
    { id: '019a2f10-0000-7000-8000-00000000aaaa', name: 'KiwiSDR Aosta (sim)' },
    { id: '019a2f10-0000-7000-8000-00000000bbbb', name: 'KiwiSDR Asti (sim)' },
    { id: '019a2f10-0001-7000-8000-0000000cbbbb', name: 'Torino' },
  ];
  const spec = { what: 'receiver', id: (x: (typeof items)[number]) => x.id, name: (x: (typeof items)[number]) => x.name, hint: 'List them with `heimdall-station receiver list`.' };
  it('finds by full id, by the printed short id, by a unique start, by name and by a unique part of a name', () => {
    expect(shortId(items[0]!.id)).toBe('0000aaaa');
    expect(pick(items, items[1]!.id, spec)).toBe(items[1]);
    expect(pick(items, '0000aaaa', spec)).toBe(items[0]);
    expect(pick(items, '019a2f10-0001', spec)).toBe(items[2]);
    expect(pick(items, 'torino', spec)).toBe(items[2]);
    expect(pick(items, 'aosta', spec)).toBe(items[0]);
  });
  it('says when a short form matches several, and where to look when nothing matches', () => {
    const many = caught(() => pick(items, 'bbbb', spec));
    expect(isStationError(many) && many.code).toBe('invalid_input');
    expect(many.message).toMatch(/"bbbb" matches 2 receivers: .*KiwiSDR Asti \(sim\).*Torino.*Give more of the id/);
    expect(caught(() => pick(items, '019a2f10', spec)).message).toMatch(/matches 3 receivers/);
    expect(caught(() => pick(items, 'kiwisdr', spec)).message).toMatch(/matches 2 receivers/);
    const none = caught(() => pick(items, 'Cuneo', spec));
    expect(isStationError(none) && none.code).toBe('not_found');
    expect(none.message).toBe('No receiver "Cuneo". List them with `heimdall-station receiver list`.');
    expect(caught(() => pick(items, 'ab', spec)).message).toMatch(/give at least 4 characters/);
  });
});

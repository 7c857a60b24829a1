import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReceiverList } from '../../../../main/receivers/import/receiverLists';

const fixture = (name: string) => fs.readFileSync(new URL(`../../../fixtures/receiver-lists/${name}`, import.meta.url), 'utf8');

describe('receiver list import', () => {
  it('reads kiwisdr.com kiwisdr_com.js (trailing commas, string values, "(lat, lon)")', () => {
    const list = parseReceiverList(fixture('kiwisdr_com.js'));
    expect(list.format).toBe('kiwisdr_com');
    expect(list.candidates).toHaveLength(2);
    expect(list.candidates[0]).toMatchObject({ kind: 'kiwisdr', url: 'http://torino-kiwi.example.net:8073', lat: 45.0703, lon: 7.6869, alt: 240 });
    expect(list.candidates[1]?.name).toBe('Genova "seaside" Kiwi');
    expect(list.rejected).toEqual([expect.objectContaining({ reason: expect.stringMatching(/no url/) })]);
  });

  it('reads receiverbook.de sites, keeps KiwiSDR/OpenWebRX and says why others are left out', () => {
    const list = parseReceiverList(fixture('receiverbook.js'));
    expect(list.format).toBe('receiverbook');
    expect(list.candidates.map((c) => [c.name, c.kind, c.lat, c.lon])).toEqual([
      ['Aquila di Giaveno', 'openwebrx', 45.02, 7.29],
      ['Milano Kiwi', 'kiwisdr', 45.478, 9.123],
    ]);
    expect(list.rejected[0]?.reason).toMatch(/websdr receivers are not supported/);
  });

  it('reads our own receiver-set JSON', () => {
    const list = parseReceiverList(fs.readFileSync(new URL('../../../../resources/receivers/heimdall-nw-italy.json', import.meta.url), 'utf8'));
    expect(list.format).toBe('heimdall');
    expect(list.candidates).toHaveLength(7);
  });

  it('refuses truncated or unknown files with a sentence saying what to use', () => {
    expect(() => parseReceiverList(fixture('kiwisdr_com.js').slice(0, 300))).toThrow(/could not be read .*looks truncated/);
    expect(() => parseReceiverList('hello world')).toThrow(/not a receiver list this station reads/);
  });
});

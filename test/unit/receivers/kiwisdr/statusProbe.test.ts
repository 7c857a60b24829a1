import { describe, expect, it } from 'vitest';
import { parseKiwiStatus } from '../../../../main/receivers/kiwisdr/statusProbe';
import { mulberry32 } from '../../../../main/sim/prng';

// The shape of a real KiwiSDR /status reply (values invented).
const SAMPLE = [
  'status=active',
  'offline=no',
  'name=Test Kiwi, Torino',
  'sdr_hw=KiwiSDR 2 v1.700 ⁣ 📡 GPS ⁣ 📶 ANT',
  'op_email=',
  'bands=0-30000000',
  'users=2',
  'users_max=8',
  'gps=(45.044000, 7.672000)',
  'gps_good=7',
  'fixes=123456',
  'fixes_min=14',
  'tdoa_ch=8',
  'asl=250',
  'loc=Torino',
  'sw_version=KiwiSDR_v1.700',
  'antenna=mini-whip',
  'snr=21,14',
  'adc_ov=0',
  'uptime=98765',
].join('\n');

describe('KiwiSDR /status', () => {
  it('reads users, GPS position, health and version, and keeps every line in raw', () => {
    const s = parseKiwiStatus(SAMPLE);
    expect(s).toMatchObject({ name: 'Test Kiwi, Torino', online: true, users: 2, usersMax: 8, lat: 45.044, lon: 7.672, gpsGood: 7, gpsFixesPerMin: 14, swVersion: 'KiwiSDR_v1.700', uptimeSec: 98765 });
    expect(s.raw.bands).toBe('0-30000000');
    expect(s.raw.antenna).toBe('mini-whip');
  });

  it('accepts CRLF line ends and reports an offline receiver as offline', () => {
    const s = parseKiwiStatus(SAMPLE.replace('offline=no', 'offline=yes').split('\n').join('\r\n'));
    expect(s.online).toBe(false);
    expect(s.users).toBe(2);
  });

  it('leaves the position unknown when there is no GPS line', () => {
    const s = parseKiwiStatus('status=active\nusers=0\nusers_max=4\n');
    expect(s.lat).toBeNull();
    expect(s.lon).toBeNull();
  });

  it('refuses an HTML page or an empty reply instead of reporting a receiver', () => {
    expect(() => parseKiwiStatus('<!doctype html><title>Not a Kiwi</title>')).toThrow(/not a KiwiSDR/);
    expect(() => parseKiwiStatus('')).toThrow();
  });

  it('takes 5k random mutations of a reply without hanging: each either parses or throws an Error', () => {
    const rand = mulberry32(0x57a7);
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      const chars = [...SAMPLE];
      for (let k = 1 + Math.floor(rand() * 6); k > 0; k--) {
        const at = Math.floor(rand() * chars.length);
        const op = Math.floor(rand() * 3);
        if (op === 0) chars[at] = String.fromCharCode(Math.floor(rand() * 128));
        else if (op === 1) chars.splice(at, 1 + Math.floor(rand() * 20));
        else chars.splice(at, 0, '\n=,()'[Math.floor(rand() * 5)]!);
      }
      try {
        const s = parseKiwiStatus(chars.join(''));
        expect(Number.isFinite(s.users)).toBe(true);
        parsed++;
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
      }
    }
    expect(parsed).toBeGreaterThan(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeBinaryEvent, encodeBinaryEvent } from '../../../shared/wire';

describe('binary event frames', () => {
  it('round-trips the subscription id, the JSON header and the body bytes', () => {
    const body = new Uint8Array([0, 1, 2, 254, 255]);
    const frame = encodeBinaryEvent(7, { receiverId: 'r1', rows: 1 }, body);
    const decoded = decodeBinaryEvent(frame);
    expect(decoded?.subId).toBe(7);
    expect(decoded?.header).toEqual({ receiverId: 'r1', rows: 1 });
    expect([...(decoded?.body ?? [])]).toEqual([...body]);
  });

  it('rejects truncated frames and headers that are not JSON instead of throwing', () => {
    const frame = encodeBinaryEvent(1, { a: 1 }, new Uint8Array(4));
    expect(decodeBinaryEvent(frame.subarray(0, 5))).toBeNull();
    expect(decodeBinaryEvent(frame.subarray(0, 10))).toBeNull();
    const bad = frame.slice();
    bad[8] = 0x7b + 1; // corrupt the first byte of the header
    expect(decodeBinaryEvent(bad)).toBeNull();
  });
});

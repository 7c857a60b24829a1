import { createHash } from 'node:crypto';
import { type Receiver } from '../../shared/domain/receiver';
import { captureSegments } from '../recordings/captureSegments';
import { type RecordingFile } from '../recordings/recordingFile';
import { type TimeBase } from '../recordings/timeBase';
import { type CaptureStore, type CaptureWriter } from '../store/captureStore';

const COPY_BLOCK = 4 << 20;
const YIELD_EVERY = 16 << 20;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Gathers pieces into large appends; swaps byte order in whole elements when asked. */
function batchedAppend(writer: CaptureWriter, swap: RecordingFile['swap']) {
  const buf = Buffer.allocUnsafe(1 << 20); // a multiple of every element size
  let fill = 0;
  const flush = () => {
    const whole = swap ? fill - (fill % swap) : fill;
    if (!whole) return;
    const out = buf.subarray(0, whole);
    if (swap === 2) out.swap16();
    else if (swap === 4) out.swap32();
    else if (swap === 8) out.swap64();
    writer.append(out);
    buf.copy(buf, 0, whole, fill);
    fill -= whole;
  };
  return {
    push(piece: Buffer) {
      let p = piece;
      while (p.length) {
        const n = Math.min(p.length, buf.length - fill);
        p.copy(buf, fill, 0, n);
        fill += n;
        p = p.subarray(n);
        if (fill === buf.length) flush();
      }
    },
    end: flush,
  };
}

/**
 * Copies one recording into the store like a live capture (durable file, then its rows, stamps and
 * outbox in one transaction): samples streamed byte for byte (big-endian swapped), its declared
 * checksum verified before anything is acknowledged, segments timed by its time base.
 */
export async function commitRecording(
  store: CaptureStore,
  r: RecordingFile,
  tb: TimeBase,
  target: { receiver: Receiver; freqHz: number; sessionId: string | null },
): Promise<{ captureId: string; firstSampleUtc: string; segments: number; gpsStamped: boolean }> {
  if (r.captureId && store.repos.captures.get(r.captureId)) throw new Error(`already imported: this recording is capture ${r.captureId} in the store`);
  const rx = target.receiver;
  let writer: CaptureWriter | null = null;
  try {
    writer = store.beginCapture({
      ...(r.captureId ? { id: r.captureId } : {}),
      receiver: { id: rx.id, name: rx.name, url: rx.url, lat: r.receiver.lat ?? rx.lat, lon: r.receiver.lon ?? rx.lon, alt: r.receiver.lat !== null ? r.receiver.alt : rx.alt },
      sessionId: target.sessionId,
      freqHz: target.freqHz,
      mode: r.mode ?? 'iq',
      // The GPS-measured rate where the stamps give one (a kiwirecorder header holds only the integer rate).
      sampleRate: tb.summary.rateSource === 'gps-anchors' ? tb.rateHz : r.headerRateHz,
      datatype: r.datatype,
      expectedBytes: r.bytes,
      agc: r.agc ?? null,
    });
    const hash = r.digest ? createHash(r.digest.algorithm) : null;
    const out = batchedAppend(writer, r.swap);
    let sinceYield = 0;
    for (const range of r.ranges) {
      for (let pos = range.pos; pos < range.pos + range.len; ) {
        const n = Math.min(COPY_BLOCK, range.pos + range.len - pos);
        const piece = r.source.read(pos, n);
        hash?.update(piece);
        out.push(piece);
        pos += n;
        sinceYield += n;
        if (sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          await pause(); // a large file must not stall the station's event loop
        }
      }
    }
    out.end();
    if (hash && r.digest) {
      const got = hash.digest('hex');
      if (got !== r.digest.hex) throw new Error(`the data does not match its ${r.digest.field} (${r.digest.hex.slice(0, 12)}..., the data hashes to ${got.slice(0, 12)}...): it is damaged or was changed`);
    }
    const segments = captureSegments(tb, r.streamSegments, r.totalSamples);
    const first = segments[0]!;
    const captureId = writer.finalize({
      firstSampleUtc: first.utc,
      firstSampleGpsNs: first.gpsUnixNs ?? null,
      status: r.status,
      message: r.warnings.join(' '),
      segments,
      stamps: r.stamps,
    });
    return { captureId, firstSampleUtc: first.utc, segments: segments.length, gpsStamped: tb.summary.source === 'gps' };
  } catch (e) {
    writer?.abort();
    throw e;
  }
}

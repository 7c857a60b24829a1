import { type captureStartSchema, type CaptureStatus } from '../../shared/domain/capture';
import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { type Db } from './database';

type CaptureStartParsed = ReturnType<typeof captureStartSchema.parse>;

/** A captures row as SQLite holds it. */
export interface CaptureRow {
  id: string;
  receiver_id: string;
  receiver_name: string;
  receiver_url: string;
  receiver_lat: number | null;
  receiver_lon: number | null;
  receiver_alt: number | null;
  session_id: string | null;
  freq_hz: number;
  mode: string;
  sample_rate: number;
  datatype: string;
  first_sample_utc: string;
  first_sample_gps_ns: string | null;
  sample_count: number;
  byte_size: number;
  file_path: string;
  sha256: string;
  /** MD5 of the sample file, taken as it was written (the upload's Content-MD5 and ETag check); null for captures stored before that, filled at their upload. */
  md5: string | null;
  status: CaptureStatus;
  message: string;
  samples_deleted_at: string | null;
  created_at: string;
  /** 1 = AGC on, 0 = off, null = unknown. */
  agc: number | null;
  /** 1 while the capture records (reserved, not yet acknowledged). */
  recording: number;
  /** sha512 of the sample file, computed as the bytes passed (null for captures stored before it existed). */
  sha512: string | null;
}

export interface SegmentRow {
  capture_id: string;
  seq: number;
  sample_start: number;
  sample_count: number;
  utc: string;
  gps_unix_ns: string | null;
  reason: string;
}

/** The columns a capture's start fixes (the receiver snapshot and what was asked of it). */
export function startColumns(id: string, start: Pick<CaptureStartParsed, 'receiver' | 'sessionId' | 'freqHz' | 'mode' | 'sampleRate' | 'datatype' | 'agc'>) {
  return {
    id,
    receiver_id: start.receiver.id,
    receiver_name: start.receiver.name,
    receiver_url: start.receiver.url,
    receiver_lat: start.receiver.lat,
    receiver_lon: start.receiver.lon,
    receiver_alt: start.receiver.alt,
    session_id: start.sessionId,
    freq_hz: start.freqHz,
    mode: start.mode,
    sample_rate: start.sampleRate,
    datatype: start.datatype,
    agc: start.agc === null ? null : start.agc ? 1 : 0,
  };
}

export function createCapturesRepo(db: Db) {
  const insert = db.prepare<CaptureRow>(
    `INSERT INTO captures (id, receiver_id, receiver_name, receiver_url, receiver_lat, receiver_lon, receiver_alt, session_id,
       freq_hz, mode, sample_rate, datatype, first_sample_utc, first_sample_gps_ns, sample_count, byte_size, file_path,
       sha256, md5, status, message, samples_deleted_at, created_at, agc, recording, sha512)
     VALUES (@id, @receiver_id, @receiver_name, @receiver_url, @receiver_lat, @receiver_lon, @receiver_alt, @session_id,
       @freq_hz, @mode, @sample_rate, @datatype, @first_sample_utc, @first_sample_gps_ns, @sample_count, @byte_size, @file_path,
       @sha256, @md5, @status, @message, @samples_deleted_at, @created_at, @agc, @recording, @sha512)`,
  );
  const insertStamp = db.prepare<[string, number, number | null, number, number, number]>(
    'INSERT INTO capture_gps_stamps (capture_id, sample_index, seq, fix_age_s, gpssec, gpsnsec) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const stampsOf = db.prepare<[string], { sample_index: number; seq: number | null; fix_age_s: number; gpssec: number; gpsnsec: number }>(
    'SELECT sample_index, seq, fix_age_s, gpssec, gpsnsec FROM capture_gps_stamps WHERE capture_id = ? ORDER BY sample_index',
  );
  const insertSegment = db.prepare<SegmentRow>(
    `INSERT INTO capture_segments (capture_id, seq, sample_start, sample_count, utc, gps_unix_ns, reason)
     VALUES (@capture_id, @seq, @sample_start, @sample_count, @utc, @gps_unix_ns, @reason)`,
  );
  const byId = db.prepare<[string], CaptureRow>('SELECT * FROM captures WHERE id = ?');
  const segmentsOf = db.prepare<[string], SegmentRow>('SELECT * FROM capture_segments WHERE capture_id = ? ORDER BY seq');
  const recent = db.prepare<[number], CaptureRow>('SELECT * FROM captures WHERE recording = 0 ORDER BY created_at DESC LIMIT ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM captures WHERE recording = 0');
  const reserved = db.prepare<[], CaptureRow>('SELECT * FROM captures WHERE recording = 1');
  const complete = db.prepare<CaptureRow>(
    `UPDATE captures SET first_sample_utc = @first_sample_utc, first_sample_gps_ns = @first_sample_gps_ns, sample_count = @sample_count,
       byte_size = @byte_size, sha256 = @sha256, md5 = @md5, sha512 = @sha512, status = @status, message = @message, recording = 0
     WHERE id = @id AND recording = 1`,
  );
  const deleteReserved = db.prepare<[string]>('DELETE FROM captures WHERE id = ? AND recording = 1');
  const setMeasurementTime = db.prepare<[string, string, string]>('UPDATE measurements SET timestamp = ? WHERE capture_id = ? AND id = ?');
  const allPaths = db.prepare<[], { file_path: string }>('SELECT file_path FROM captures');
  const setMd5 = db.prepare<[string, string]>('UPDATE captures SET md5 = ? WHERE id = ?');
  const markSamplesDeleted = db.prepare<[string, string]>('UPDATE captures SET samples_deleted_at = ? WHERE id = ?');
  // Synced = the S3 outbox item is done; only then may the local copy go.
  const retentionCandidates = db.prepare<[string], CaptureRow>(
    `SELECT c.* FROM captures c JOIN outbox o ON o.item_id = c.id AND o.kind = 'capture_object' AND o.target = 's3'
     WHERE o.state = 'done' AND o.done_at < ? AND c.samples_deleted_at IS NULL`,
  );
  const bySession = db.prepare<[string], CaptureRow>('SELECT * FROM captures WHERE session_id = ? AND recording = 0 ORDER BY receiver_name, first_sample_utc');
  return {
    insert: (row: CaptureRow) => insert.run(row),
    insertSegment: (row: SegmentRow) => insertSegment.run(row),
    /** Call inside the capture's transaction. */
    insertStamps(captureId: string, stamps: readonly GpsStamp[]) {
      for (const s of stamps) insertStamp.run(captureId, s.sampleIndex, s.seq, s.fixAgeSec, s.gpssec, s.gpsnsec);
    },
    stamps: (id: string): GpsStamp[] => stampsOf.all(id).map((r) => ({ sampleIndex: r.sample_index, seq: r.seq, fixAgeSec: r.fix_age_s, gpssec: r.gpssec, gpsnsec: r.gpsnsec })),
    get: (id: string): CaptureRow | undefined => byId.get(id),
    segments: (id: string): SegmentRow[] => segmentsOf.all(id),
    recent: (limit = 100): CaptureRow[] => recent.all(limit),
    /** Captures reserved and still recording (after a crash: the ones to adopt). */
    reserved: (): CaptureRow[] => reserved.all(),
    /** Call inside the acknowledging transaction; false when the row was not a reservation. */
    complete: (row: CaptureRow): boolean => complete.run(row).changes === 1,
    deleteReserved: (id: string) => deleteReserved.run(id).changes > 0,
    setMeasurementTime: (captureId: string, id: string, timestamp: string) => setMeasurementTime.run(timestamp, captureId, id),
    bySession: (sessionId: string): CaptureRow[] => bySession.all(sessionId),
    count: (): number => count.get()?.n ?? 0,
    allFilePaths: (): string[] => allPaths.all().map((r) => r.file_path),
    setMd5: (id: string, md5: string) => setMd5.run(md5, id),
    markSamplesDeleted: (id: string, at: string) => markSamplesDeleted.run(at, id),
    syncedBefore: (isoTime: string): CaptureRow[] => retentionCandidates.all(isoTime),
  };
}
export type CapturesRepo = ReturnType<typeof createCapturesRepo>;

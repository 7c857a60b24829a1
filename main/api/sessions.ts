import { type DomainImpl } from '../../shared/api/define';
import type * as sessions from '../../shared/api/sessions';
import { type ImportOptions, type ImportReport } from '../import/importRecordings';
import { type SessionService } from '../sessions/sessionService';

export function sessionsApi(s: {
  sessions: SessionService;
  importRecordings: (paths: string[], opts: ImportOptions & { source?: string }) => Promise<ImportReport>;
}): DomainImpl<typeof sessions> {
  return {
    listSessions: () => s.sessions.list(),
    getSession: ({ id }) => s.sessions.get(id),
    createSession: (input) => s.sessions.create(input),
    startSession: ({ id }) => s.sessions.start(id),
    markTransmit: ({ id, action, atMs }) => s.sessions.markTransmit(id, action, atMs),
    stopSession: ({ id }) => s.sessions.stop(id),
    abortSession: ({ id, reason }) => s.sessions.abort(id, reason),
    addSegment: ({ sessionId, startMs, endMs, label }) => s.sessions.addSegment(sessionId, startMs, endMs, label),
    deleteSegment: ({ sessionId, segmentId }) => s.sessions.deleteSegment(sessionId, segmentId),
    reviewSegment: (input) => s.sessions.review(input),
    decideSession: ({ id, decision, notes }) => s.sessions.decide(id, decision, notes),
    getSegmentSpectrum: ({ sessionId, segmentId, receiverId }) => s.sessions.spectrum(sessionId, segmentId, receiverId),
    importRecordings: ({ paths, ...opts }) => s.importRecordings(paths, opts),
    streams: {},
  };
}

import { useNewShortcut } from '../ui/useNewShortcut';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { type KnownSource, type Session, type SessionSummary } from '../../../shared/domain/sessions';
import { useToast } from '../ui/Toasts';
import { useStationEvents } from '../ui/hooks';
import { ImportRecordingsDialog } from './ImportRecordingsDialog';
import { SessionDetail } from './SessionDetail';
import { SessionForm } from './SessionForm';
import { SessionList, type ListFilter } from './SessionList';
import { useConnectionState, useStation } from '../station/StationContext';
import '../ui/ui.css';
import './sessions.css';

type Tab = 'sessions' | 'sources';

/** Sessions and the Known sources tab; App passes that tab's content (the sources feature's panel) in. */
export function SessionsPage({ sourcesPanel }: { sourcesPanel: ReactNode }) {
  const station = useStation();
  const connection = useConnectionState();
  const toast = useToast();
  const [tab, setTab] = useState<Tab>('sessions');
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [sources, setSources] = useState<KnownSource[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [open, setOpen] = useState<Session | null>(null);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [filter, setFilter] = useState<ListFilter>('all');

  const reloadList = useCallback(() => {
    station.listSessions().then(
      (list) => {
        setSessions(list);
        setLoadError(null);
      },
      (e: Error) => setLoadError(`Could not load the sessions: ${e.message}`),
    );
  }, [station]);
  const reloadSources = useCallback(() => {
    station.listKnownSources().then(setSources, () => undefined);
  }, [station]);
  const reloadOpen = useCallback(
    (id: string) => {
      station.getSession({ id }).then(
        (s) => setOpen((cur) => (cur === null || cur.id === s.id ? s : cur)),
        (e: Error) => toast({ kind: 'error', text: `Could not load the session: ${e.message}` }),
      );
    },
    [station, toast],
  );

  useEffect(() => {
    if (connection !== 'open') return;
    reloadList();
    reloadSources();
  }, [connection, reloadList, reloadSources]);
  useEffect(() => {
    if (connection === 'open' && openId) reloadOpen(openId);
  }, [connection, openId, reloadOpen]);

  useStationEvents((ev) => {
    if (ev.type === 'sessions.changed') {
      reloadList();
      if (ev.sessionId === openId) reloadOpen(ev.sessionId);
    }
    if (ev.type === 'sources.changed') reloadSources();
  });

  const openSession = useCallback((id: string) => {
    setOpen(null);
    setOpenId(id);
  }, []);
  const closeSession = useCallback(() => {
    setOpen(null);
    setOpenId(null);
  }, []);
  const onChanged = useCallback((s: Session) => {
    setOpen((cur) => (cur === null || cur.id === s.id ? s : cur));
  }, []);

  useNewShortcut(() => setCreating(true), tab === 'sessions' && !openId);

  const recordingNow = sessions?.find((s) => s.state === 'recording' && s.id !== openId);
  const inSession = tab === 'sessions' && openId !== null;

  return (
    <section className={inSession ? 'page page-wide sessions-page' : 'page sessions-page'}>
      <header className="page-header">
        <h1>Sessions</h1>
        <div className="tabs" role="tablist" aria-label="Sessions page">
          <button type="button" role="tab" id="tab-sessions" aria-selected={tab === 'sessions'} className={tab === 'sessions' ? 'tab on' : 'tab'} onClick={() => setTab('sessions')}>
            Recording sessions
          </button>
          <button type="button" role="tab" id="tab-sources" aria-selected={tab === 'sources'} className={tab === 'sources' ? 'tab on' : 'tab'} onClick={() => setTab('sources')}>
            Known sources <span className="hs-count">{sources.length}</span>
          </button>
        </div>
        {tab === 'sessions' && !openId ? (
          <div className="page-actions">
            <button className="btn" onClick={() => setImporting(true)}>
              Import recordings…
            </button>
            <button className="btn btn-primary" onClick={() => setCreating(true)} aria-keyshortcuts="N">
              New session <kbd>N</kbd>
            </button>
          </div>
        ) : (
          <span />
        )}
      </header>

      {tab === 'sources' ? (
        <div role="tabpanel" aria-labelledby="tab-sources">
          {sourcesPanel}
        </div>
      ) : (
        <div role="tabpanel" aria-labelledby="tab-sessions">
          {loadError && (
            <p className="banner banner-error" role="alert">
              {loadError}
            </p>
          )}
          {recordingNow && (
            <p className="banner hs-banner-rec">
              <span>
                <strong>{recordingNow.name}</strong> is recording now.
              </span>
              <button className="btn btn-small" onClick={() => openSession(recordingNow.id)}>
                Open it
              </button>
            </p>
          )}
          {openId ? (
            open ? (
              <SessionDetail session={open} onBack={closeSession} onChanged={onChanged} />
            ) : (
              <p className="muted">Loading the session…</p>
            )
          ) : sessions === null ? (
            !loadError && <p className="muted">Loading sessions…</p>
          ) : sessions.length === 0 ? (
            <div className="empty-state">
              <h2>No recording sessions yet</h2>
              <p>A session records one known transmitter with several receivers at once, while you mark when it transmits. Then you review and approve what was recorded; approved sessions feed the datasets.</p>
              <ol>
                {sources.length === 0 && (
                  <li>
                    Add the transmitter under{' '}
                    <button type="button" className="linkish" onClick={() => setTab('sources')}>
                      Known sources
                    </button>{' '}
                    (it may be you, with a handheld at a surveyed point).
                  </li>
                )}
                <li>Create a session: source, frequency, mode, receivers and duration.</li>
                <li>Start recording and hold <kbd>Space</kbd> while the source transmits.</li>
              </ol>
              <div className="page-actions">
                <button className="btn btn-primary" onClick={() => setCreating(true)}>
                  New session
                </button>
                {sources.length === 0 && (
                  <button className="btn" onClick={() => setTab('sources')}>
                    Add a known source
                  </button>
                )}
                <button className="btn" onClick={() => setImporting(true)}>
                  Import recordings…
                </button>
              </div>
            </div>
          ) : (
            <SessionList sessions={sessions} filter={filter} onFilter={setFilter} onOpen={openSession} />
          )}
        </div>
      )}

      {creating && (
        <SessionForm
          sources={sources}
          onCancel={() => setCreating(false)}
          onAddSource={() => {
            setCreating(false);
            setTab('sources');
          }}
          onCreated={(s) => {
            setCreating(false);
            reloadList();
            setOpen(s);
            setOpenId(s.id);
            toast({ kind: 'info', text: `Session “${s.name}” created. Press Start recording when the source is ready.` });
          }}
        />
      )}
      {importing && (
        <ImportRecordingsDialog
          onClose={() => {
            setImporting(false);
            reloadList();
          }}
        />
      )}
    </section>
  );
}


import { useCallback, useEffect, useState } from 'react';
import { type StationInfo } from '../../../shared/api';
import { HelpOverlay } from './HelpOverlay';
import { ReceiversPage } from '../receivers/ReceiversPage';
import { SessionsPage } from '../sessions/SessionsPage';
import { DatasetsPage } from '../datasets/DatasetsPage';
import { SettingsPage } from '../settings/SettingsPage';
import { LivePage } from '../live/LivePage';
import { SyncPage } from '../sync/SyncPage';
import { SourcesPanel } from '../sources/SourcesPanel';
import { isPageId, pages, type PageId } from './pages';
import { useConnectionState, useStation } from '../station/StationContext';
import { isTyping } from '../ui/keyboard';

function pageFromHash(): PageId {
  const h = window.location.hash.replace(/^#\/?/, '');
  return isPageId(h) ? h : 'receivers';
}

export function App() {
  const station = useStation();
  const connection = useConnectionState();
  const [page, setPage] = useState<PageId>(pageFromHash);
  const [info, setInfo] = useState<StationInfo | null>(null);
  const [help, setHelp] = useState(false);

  const go = useCallback((p: PageId) => {
    window.location.hash = `/${p}`;
    setPage(p);
  }, []);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (connection === 'open') station.getStationInfo().then(setInfo, () => undefined);
  }, [station, connection]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const target = pages.find((p) => p.key === e.key || e.code === `Digit${p.key}`);
        if (target) {
          e.preventDefault();
          go(target.id);
        }
        return;
      }
      if (isTyping(e.target)) return;
      if (e.key === '?' || e.key === 'F1') {
        e.preventDefault();
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKey);
    const offMenu = window.stationBridge?.onMenuCommand((c) => {
      if (c.type === 'navigate' && isPageId(c.page)) go(c.page);
      if (c.type === 'help') setHelp(true);
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      offMenu?.();
    };
  }, [go]);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <div>
            <div className="brand-name">Heimdall</div>
            <div className="brand-sub">{info?.name ?? 'Station'}</div>
          </div>
        </div>
        <ul>
          {pages.map((p) => (
            <li key={p.id}>
              <a
                href={`#/${p.id}`}
                className={p.id === page ? 'nav-link active' : 'nav-link'}
                aria-current={p.id === page ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${p.key}`}
                onClick={(e) => {
                  e.preventDefault();
                  go(p.id);
                }}
              >
                <span>{p.label}</span>
                <kbd className="nav-key">{p.key}</kbd>
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-footer">
          <div className={`conn conn-${connection}`} data-testid="connection-state">
            <span className="dot" aria-hidden="true" />
            {connection === 'open' ? 'Connected' : connection === 'connecting' ? 'Connecting…' : 'Disconnected, retrying…'}
          </div>
          {info && (
            <div className="muted small">
              v{info.version} · {info.runtime}
              {info.demo ? ' · demo' : ''}
            </div>
          )}
          <button className="btn btn-ghost btn-small" onClick={() => setHelp(true)}>
            Shortcuts <kbd>?</kbd>
          </button>
        </div>
      </nav>
      <main className="content">{page === 'receivers' ? <ReceiversPage /> : page === 'settings' ? <SettingsPage /> : page === 'live' ? <LivePage /> : page === 'sync' ? <SyncPage /> : page === 'sessions' ? <SessionsPage sourcesPanel={<SourcesPanel />} /> : <DatasetsPage />}</main>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}

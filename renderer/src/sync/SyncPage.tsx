import { useEffect, useState, type FormEvent } from 'react';
import { type SyncConnectionTest, type SyncSettingsView, type SyncStatus } from '../../../shared/domain/syncSettings';
import { useToast } from '../ui/Toasts';
import { useConnectionState, useStation } from '../station/StationContext';

const STATE_TEXT: Record<SyncStatus['state'], string> = {
  not_configured: 'Not configured: enter the central store below.',
  disabled: 'Configured but switched off.',
  idle: 'Up to date; waiting for new captures.',
  syncing: 'Syncing…',
  paused: 'Paused: captures keep going into the local store.',
  waiting_retry: 'Waiting to retry: the central store did not answer (see the last error).',
  stopped: 'Stopped.',
};

const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 1 << 30 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / (1 << 30)).toFixed(2)} GiB`);

export function SyncPage() {
  const station = useStation();
  const connection = useConnectionState();
  const toast = useToast();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [settings, setSettings] = useState<SyncSettingsView | null>(null);
  const [secretKey, setSecretKey] = useState('');
  const [pgPassword, setPgPassword] = useState('');
  const [test, setTest] = useState<SyncConnectionTest | null>(null);
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    if (connection !== 'open') return;
    station.getSyncStatus().then(setStatus, (e: Error) => toast({ kind: 'error', text: e.message }));
    station.getSyncSettings().then(setSettings, (e: Error) => toast({ kind: 'error', text: e.message }));
  }, [station, connection, toast]);

  useEffect(
    () =>
      station.subscribe('stationEvents', {}, (ev) => {
        if (ev.header.type === 'sync.status') setStatus(ev.header.status);
      }),
    [station],
  );

  const act = async (what: () => Promise<SyncStatus>) => {
    try {
      setStatus(await what());
    } catch (e) {
      toast({ kind: 'error', text: (e as Error).message });
    }
  };

  const draftUpdate = () =>
    settings
      ? {
          enabled: settings.enabled,
          s3: { endpoint: settings.s3.endpoint, port: settings.s3.port, useTLS: settings.s3.useTLS, accessKey: settings.s3.accessKey, rawBucket: settings.s3.rawBucket },
          postgres: { url: settings.postgres.url },
          ...(secretKey ? { secretKey } : {}),
          ...(pgPassword ? { postgresPassword: pgPassword } : {}),
        }
      : {};

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setSettings(await station.updateSyncSettings(draftUpdate()));
      setSecretKey('');
      setPgPassword('');
      toast({ kind: 'info', text: 'Central-store settings saved.' });
    } catch (err) {
      toast({ kind: 'error', text: (err as Error).message });
    }
  };

  const testConnection = async () => {
    setTesting(true);
    try {
      setTest(await station.testSyncConnection({ target: 'both', settings: draftUpdate() }));
    } catch (err) {
      toast({ kind: 'error', text: (err as Error).message });
    } finally {
      setTesting(false);
    }
  };

  const setS3 = (patch: Partial<SyncSettingsView['s3']>) => settings && setSettings({ ...settings, s3: { ...settings.s3, ...patch } });
  const outbox = (target: 's3' | 'pg', state: 'pending' | 'done' | 'failed') => status?.outbox.find((o) => o.target === target && o.state === state)?.count ?? 0;

  return (
    <section className="page">
      <header className="page-header">
        <h1>Sync</h1>
        <div className="page-actions">
          <button className="btn" onClick={() => void act(() => station.syncNow())} disabled={!status || status.state === 'not_configured'}>
            Sync now
          </button>
          {status?.state === 'paused' ? (
            <button className="btn" onClick={() => void act(() => station.resumeSync())}>
              Resume
            </button>
          ) : (
            <button className="btn" onClick={() => void act(() => station.pauseSync())} disabled={!status || status.state === 'not_configured'}>
              Pause
            </button>
          )}
          <button className="btn" onClick={() => void act(() => station.retrySync({}))} disabled={!status || (outbox('s3', 'failed') + outbox('pg', 'failed') === 0)}>
            Retry failed
          </button>
        </div>
      </header>
      {status && (
        <div className="panel" data-testid="sync-status">
          <h2>Status</h2>
          <p className={`sync-state sync-${status.state}`}>{STATE_TEXT[status.state]}</p>
          {status.lastError && (
            <p className="banner banner-error" role="alert">
              Last error ({status.lastError.target === 's3' ? 'object store' : 'database'}, {new Date(status.lastError.at).toLocaleTimeString()}): {status.lastError.message}
            </p>
          )}
          <table className="table compact">
            <thead>
              <tr>
                <th>Target</th>
                <th>Waiting</th>
                <th>Done</th>
                <th>Failed</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>Samples → MinIO/S3</td>
                <td>{outbox('s3', 'pending')}</td>
                <td>{outbox('s3', 'done')}</td>
                <td>{outbox('s3', 'failed')}</td>
              </tr>
              <tr>
                <td>Measurements → PostgreSQL</td>
                <td>{outbox('pg', 'pending')}</td>
                <td>{outbox('pg', 'done')}</td>
                <td>{outbox('pg', 'failed')}</td>
              </tr>
            </tbody>
          </table>
          <p className="muted small">
            {status.captures} captures and {status.measurements} measurements stored locally; {bytes(status.pendingBytes)} of samples still to upload.
            {status.lastSuccessAt ? ` Last successful sync ${new Date(status.lastSuccessAt).toLocaleString()}.` : ' Never synced yet.'}
          </p>
        </div>
      )}
      {settings && (
        <form className="panel settings-form" onSubmit={save}>
          <h2>Central store</h2>
          <label className="field field-check">
            <input type="checkbox" checked={settings.enabled} onChange={(e) => setSettings({ ...settings, enabled: e.target.checked })} />
            <span>Sync automatically when the network is there</span>
          </label>
          <div className="form-grid">
            <label className="field">
              <span className="field-label">MinIO / S3 endpoint</span>
              <input name="endpoint" value={settings.s3.endpoint} placeholder="minio.example.org" onChange={(e) => setS3({ endpoint: e.target.value })} />
            </label>
            <label className="field">
              <span className="field-label">Port</span>
              <input name="port" inputMode="numeric" value={settings.s3.port ?? ''} placeholder="9000" onChange={(e) => setS3({ port: e.target.value ? Number(e.target.value) : null })} />
            </label>
            <label className="field">
              <span className="field-label">Access key</span>
              <input name="accessKey" value={settings.s3.accessKey} onChange={(e) => setS3({ accessKey: e.target.value })} />
            </label>
            <label className="field">
              <span className="field-label">Secret key</span>
              <input name="secretKey" type="password" autoComplete="off" value={secretKey} placeholder={settings.hasSecretKey ? 'stored; type to replace' : ''} onChange={(e) => setSecretKey(e.target.value)} />
            </label>
            <label className="field field-check">
              <input type="checkbox" checked={settings.s3.useTLS} onChange={(e) => setS3({ useTLS: e.target.checked })} />
              <span>TLS (https)</span>
            </label>
            <label className="field">
              <span className="field-label">Samples bucket</span>
              <input name="rawBucket" value={settings.s3.rawBucket} onChange={(e) => setS3({ rawBucket: e.target.value })} />
            </label>
            <label className="field">
              <span className="field-label">PostgreSQL URL (without password)</span>
              <input name="pgUrl" value={settings.postgres.url} placeholder="postgres://heimdall@db.example.org:5432/heimdall" onChange={(e) => setSettings({ ...settings, postgres: { ...settings.postgres, url: e.target.value } })} />
            </label>
            <label className="field">
              <span className="field-label">PostgreSQL password</span>
              <input name="pgPassword" type="password" autoComplete="off" value={pgPassword} placeholder={settings.hasPostgresPassword ? 'stored; type to replace' : ''} onChange={(e) => setPgPassword(e.target.value)} />
            </label>
          </div>
          {test && (
            <ul className="checks" data-testid="connection-test">
              {(['s3', 'pg'] as const).map((t) =>
                test[t] ? (
                  <li key={t} className={test[t]!.ok ? 'check-ok' : 'check-bad'}>
                    <strong>{t === 's3' ? 'Object store' : 'Database'}:</strong> {test[t]!.message}
                  </li>
                ) : null,
              )}
            </ul>
          )}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => void testConnection()} disabled={testing}>
              {testing ? 'Testing…' : 'Test connection'}
            </button>
            <button type="submit" className="btn btn-primary">
              Save
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

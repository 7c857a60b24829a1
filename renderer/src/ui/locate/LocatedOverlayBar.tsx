import { fmtDateTime } from '../format';
import { fmtDistance, fmtLatLon, type Units } from './distance';
import { type useLocatedOverlay } from './useLocatedOverlay';

/** "Located: [result]" above the Receivers map, and what the chosen result says. */
export function LocatedOverlayBar({ overlay, units }: { overlay: ReturnType<typeof useLocatedOverlay>; units: Units }) {
  const { list, sessionNames, chosen, choose, prepared, error } = overlay;
  if (list.length === 0 && !chosen) return null;
  const r = prepared?.result ?? null;
  return (
    <div className="located-bar" data-testid="located-bar">
      <label className="field-row">
        <span className="field-label">Located</span>
        <select name="located" value={chosen ?? ''} onChange={(e) => choose(e.target.value || null)}>
          <option value="">Off</option>
          {list.map((l) => (
            <option key={l.id} value={l.id}>
              {(l.sessionId && sessionNames.get(l.sessionId)) ?? 'recordings'} · {l.segmentId ? 'one segment' : 'whole session'} · {fmtDateTime(l.createdAt)}
              {l.sourceDistanceKm !== null ? ` · ${fmtDistance(l.sourceDistanceKm, units)} from source` : ''}
            </option>
          ))}
        </select>
      </label>
      {r && (
        <span className="small">
          Fix <span className="mono">{fmtLatLon(r.position.lat, r.position.lon)}</span>
          {r.source && (
            <>
              {' · '}
              <strong className={r.source.distanceKm <= 2 ? 'dist-ok' : 'dist-far'} data-testid="overlay-distance">
                {fmtDistance(r.source.distanceKm, units)}
              </strong>{' '}
              from {r.source.name}
            </>
          )}
        </span>
      )}
      {chosen && !r && !error && <span className="muted small">Loading the result…</span>}
      {error && <span className="field-msg">{error}</span>}
    </div>
  );
}

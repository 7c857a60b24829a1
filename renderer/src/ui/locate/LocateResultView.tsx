import { useEffect, useMemo, useRef, useState } from 'react';
import { type StoredLocate } from '../../../../shared/domain/locate';
import { fmtDateTime, fmtDuration } from '../format';
import { fmtDistance, fmtLatLon, type Units } from './distance';
import { LocateMap } from './LocateMap';
import { PairsTable, ReceiversTable } from './LocateTables';
import { showOnReceiversMap } from './overlayChoice';
import { prepareLocate } from './prepareLocate';

const utcTime = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(11, 19)} UTC`;
};

/** One located result: the distance to the known source first, then the map, warnings and the tables. */
export function LocateResultView({ result, what, units, onClose }: { result: StoredLocate; what: string; units: Units; onClose: () => void }) {
  const prepared = useMemo(() => prepareLocate(result), [result]);
  const [highlight, setHighlight] = useState<string | null>(null);
  const used = result.receivers.filter((r) => r.status === 'good').length;
  // A result just located or picked from the list is what the operator wants to see next.
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'start' });
  }, [result.id]);
  return (
    <section ref={box} className="panel locate-result" data-testid="locate-result" data-result-id={result.id} aria-label="Locate result">
      <header className="locate-head">
        <h2>Located: {what}</h2>
        <span className="muted small">{fmtDateTime(result.createdAt)}</span>
        <span className="locate-head-actions">
          <button type="button" className="btn btn-small" onClick={() => showOnReceiversMap(result.id)} title="Open the Receivers page with this result on its map">
            Show on receivers map
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={onClose} aria-label="Close the result">
            ✕
          </button>
        </span>
      </header>
      <p className="locate-summary">
        <span>
          <span className="muted">Fix</span> <span className="mono">{fmtLatLon(result.position.lat, result.position.lon)}</span>
        </span>
        {result.source ? (
          <span>
            <strong className={result.source.distanceKm <= 2 ? 'dist-ok' : 'dist-far'} data-testid="locate-distance">
              {fmtDistance(result.source.distanceKm, units)}
            </strong>{' '}
            from {result.source.name}
          </span>
        ) : (
          <span className="muted">no known source to compare with</span>
        )}
        <span>
          {used} of {result.receivers.length} receivers · {result.pairs.length} pairs
        </span>
        <span className="muted">
          {fmtDuration(result.interval.seconds)} of signal from {utcTime(result.interval.startUtc)} · computed in {fmtDuration(result.elapsedMs / 1000)}
        </span>
      </p>
      {result.warnings.length > 0 && (
        <ul className="locate-warnings" data-testid="locate-warnings">
          {result.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      )}
      <LocateMap prepared={prepared} units={units} highlight={highlight} />
      <div className="locate-tables">
        <PairsTable prepared={prepared} units={units} onHighlight={setHighlight} />
        <ReceiversTable prepared={prepared} />
      </div>
    </section>
  );
}

import { BAD_RECEIVER, GOOD_RECEIVER, HEAT_GRADIENT_CSS, SOURCE_COLOUR } from './locateColours';
import { type PreparedLocate } from './prepareLocate';

/**
 * What the locate layers mean. judged: the review map, which draws the receivers as the result judged
 * them and the source itself; pairs: list the pair colours (where no table names them).
 */
export function LocateLegend({ prepared, judged, pairs }: { prepared: PreparedLocate; judged?: boolean; pairs?: boolean }) {
  const sorted = [...prepared.result.contours].sort((a, b) => a.confidence - b.confidence);
  const pct = (c: number) => `${Math.round(c * 100)} %`;
  return (
    <div className="map-legend locate-legend" aria-hidden="true">
      <span className="heat-swatch" style={{ background: HEAT_GRADIENT_CSS }} /> likelihood
      {sorted.map((c, i) => (
        <span key={c.confidence} className="legend-item">
          <span className={i === 0 ? 'line-swatch' : 'line-swatch dashed'} /> {pct(c.confidence)}
        </span>
      ))}
      <span className="legend-item">
        <span className="fix-swatch" /> fix
      </span>
      {judged && prepared.result.source && (
        <span className="legend-item">
          <span style={{ color: SOURCE_COLOUR }}>◆</span> known source
        </span>
      )}
      {judged && (
        <>
          <span className="legend-item">
            <span style={{ color: GOOD_RECEIVER }}>●</span> receiver used
          </span>
          <span className="legend-item">
            <span style={{ color: BAD_RECEIVER }}>⊗</span> left out
          </span>
        </>
      )}
      {pairs &&
        prepared.hyperbolas.map((h) => (
          <span key={h.key} className="legend-item">
            <span className="line-swatch" style={{ borderColor: h.colour, borderTopStyle: h.dash.length ? 'dashed' : 'solid' }} /> {h.label}
          </span>
        ))}
    </div>
  );
}

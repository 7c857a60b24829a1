import { type LocatePair } from '../../../../shared/domain/locate';
import { fmtDistance, type Units } from './distance';
import { pairKey, type PreparedLocate } from './prepareLocate';

const us = (v: number) => v.toFixed(Math.abs(v) < 100 ? 2 : 1);

/** Each pair's measured delay against the one the fix predicts; hovering a row picks out its hyperbola. */
export function PairsTable({ prepared, units, onHighlight }: { prepared: PreparedLocate; units: Units; onHighlight: (key: string | null) => void }) {
  const style = new Map(prepared.hyperbolas.map((h) => [h.key, h]));
  const short = new Map(prepared.receivers.map((r) => [r.name, r.label]));
  const row = (p: LocatePair) => {
    const key = pairKey(p.a, p.b);
    const h = style.get(key);
    const residual = p.dtUs - p.predictedUs;
    return (
      <tr key={key} onPointerEnter={() => onHighlight(key)} onPointerLeave={() => onHighlight(null)} onFocus={() => onHighlight(key)} onBlur={() => onHighlight(null)} tabIndex={0}>
        <td>
          <span className="line-swatch" style={h ? { borderColor: h.colour, borderTopStyle: h.dash.length ? 'dashed' : 'solid' } : { borderColor: 'transparent' }} />{' '}
          <span title={`${p.a} – ${p.b}`}>
            {short.get(p.a) ?? p.a}–{short.get(p.b) ?? p.b}
          </span>
        </td>
        <td className="mono num">{us(p.dtUs)}</td>
        <td className="mono num">{us(p.rmsUs)}</td>
        <td className="mono num">{us(p.predictedUs)}</td>
        <td className={`mono num${Math.abs(residual) > 10 ? ' warn-text' : ''}`}>{`${residual >= 0 ? '+' : '−'}${us(Math.abs(residual))}`}</td>
        <td className="mono num">
          {p.blocksUsed}/{p.blocksTotal}
        </td>
        <td className="mono num">{p.peak.toFixed(2)}</td>
        <td className="mono num">{fmtDistance(p.baselineKm, units)}</td>
      </tr>
    );
  };
  return (
    <table className="table compact locate-table" data-testid="locate-pairs">
      <caption>Receiver pairs (Δt = arrival at the first minus arrival at the second)</caption>
      <thead>
        <tr>
          <th>Pair</th>
          <th className="num">
            Δt <span className="unit">µs</span>
          </th>
          <th className="num" title="Spread of the per-block delays that were kept">
            rms <span className="unit">µs</span>
          </th>
          <th className="num" title="The delay the fix predicts (great circle)">
            predicted <span className="unit">µs</span>
          </th>
          <th className="num">
            residual <span className="unit">µs</span>
          </th>
          <th className="num" title="Correlation blocks kept of those measured">
            blocks
          </th>
          <th className="num" title="Median peak of the normalised correlation (0..1)">
            peak
          </th>
          <th className="num">baseline</th>
        </tr>
      </thead>
      <tbody>{prepared.result.pairs.map(row)}</tbody>
    </table>
  );
}

/** Every receiver of the session: used or left out, and why. */
export function ReceiversTable({ prepared }: { prepared: PreparedLocate }) {
  return (
    <table className="table compact locate-table" data-testid="locate-receivers">
      <caption>Receivers</caption>
      <thead>
        <tr>
          <th>Receiver</th>
          <th>Status</th>
          <th>Reason</th>
          <th className="num">
            GPS rate <span className="unit">Hz</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {prepared.receivers.map((r) => (
          <tr key={`${r.name}:${r.captureId ?? r.file ?? ''}`} data-status={r.status}>
            <td className="strong">{r.name}</td>
            <td>
              <span className={r.status === 'good' ? 'rx-good' : 'rx-bad'}>{r.status === 'good' ? '✓ used' : '✗ left out'}</span>
            </td>
            <td className={r.status === 'bad' ? 'reason' : 'reason muted'}>{r.reason || '—'}</td>
            <td className="mono num">{r.rateHz === null ? '—' : r.rateHz.toFixed(3)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

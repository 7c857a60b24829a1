import { type ReviewDecision, type SegmentReview, type SegmentSpectrum, type SessionSegment } from '../../../shared/domain/sessions';
import { fmtDuration, fmtOffsetHz } from '../ui/format';
import { segmentDecision } from './SegmentTimeline';
import { SegmentSpectrumPlot } from './SegmentSpectrumPlot';
import { CrosshairIcon } from '../ui/locate/CrosshairIcon';

const num = (v: number | null) => (v === null ? '—' : Math.abs(v) < 0.05 ? '0.0' : v.toFixed(1));
const ORIGIN_LABEL = { operator: 'your mark', detector: 'detector', manual: 'by hand' } as const;
const LABELS = ['transmission', 'carrier', 'interference', 'noise', 'unclear'];

export type SpectrumEntry = SegmentSpectrum | { error: string } | 'loading';

function DecisionText({ seg }: { seg: SessionSegment }) {
  const d = segmentDecision(seg);
  const n = (x: ReviewDecision) => seg.reviews.filter((r) => r.decision === x).length;
  const text = d === 'approved' ? '✓ approved' : d === 'rejected' ? '✗ rejected' : d === 'pending' ? 'pending' : `${n('approved')} approved · ${n('rejected')} rejected · ${n('pending')} pending`;
  return (
    <span className={`dec dec-${d}`} data-testid="segment-decision">
      {text}
    </span>
  );
}

/** Review a recorded session: segments (operator marks, detector proposals), per-receiver metrics and spectra, decisions. */
/** One segment: its place, label and notes, and each receiver's figures, spectrum and decision. */
export function SegmentCard({
  seg,
  index,
  t0,
  open,
  editable,
  busy,
  freqHz,
  spectra,
  onRetrySpectrum,
  onSelect,
  onReview,
  onDelete,
  onLocate,
}: {
  seg: SessionSegment;
  index: number;
  t0: number;
  open: boolean;
  editable: boolean;
  busy: boolean;
  freqHz: number;
  spectra: Record<string, SpectrumEntry>;
  onRetrySpectrum: (key: string) => void;
  onSelect: () => void;
  onReview: (patch: { receiverId?: string; decision?: ReviewDecision; label?: string; notes?: string | null }) => void;
  onDelete: () => void;
  /** Locate the transmitter from this segment alone; absent while a locate job runs. */
  onLocate?: () => void;
}) {
  const rel = (t: number) => `+${((t - t0) / 1000).toFixed(1)} s`;
  const d = segmentDecision(seg);
  // Uncontrolled inputs keyed on the saved value: a change from the station replaces what is shown.
  const saveLabel = (el: HTMLInputElement) => {
    const v = el.value.trim();
    if (v && v !== seg.label) onReview({ label: v });
    else el.value = seg.label;
  };
  const saveNotes = (el: HTMLInputElement) => {
    const v = el.value.trim() || null;
    if (v !== (seg.notes ?? null)) onReview({ notes: v });
  };
  return (
    <section className={`seg${open ? ' open' : ''} seg-${d}`} data-testid="segment" data-segment-id={seg.id} data-origin={seg.origin}>
      <header className="seg-head" onClick={onSelect}>
        <button type="button" className="seg-index" aria-expanded={open} aria-label={`Segment ${index}`} onClick={onSelect}>
          {index}
        </button>
        <span className={`origin origin-${seg.origin}`}>{ORIGIN_LABEL[seg.origin]}</span>
        <span className="mono seg-time">
          {rel(seg.startMs)} → {rel(seg.endMs)} <span className="muted">({fmtDuration((seg.endMs - seg.startMs) / 1000)})</span>
        </span>
        <span className="seg-label">{seg.label}</span>
        <DecisionText seg={seg} />
        <span className="seg-actions" onClick={(e) => e.stopPropagation()}>
          <button type="button" className="btn btn-small" disabled={!onLocate} onClick={onLocate} aria-label={`Locate from segment ${index}`} title="Locate the transmitter from this segment alone">
            <CrosshairIcon /> Locate
          </button>
          {editable && (
            <>
              <button type="button" className={d === 'approved' ? 'btn btn-small btn-ok on' : 'btn btn-small btn-ok'} disabled={busy} aria-pressed={d === 'approved'} onClick={() => onReview({ decision: 'approved' })} aria-label={`Approve segment ${index}`}>
                ✓ Approve
              </button>
              <button type="button" className={d === 'rejected' ? 'btn btn-small btn-no on' : 'btn btn-small btn-no'} disabled={busy} aria-pressed={d === 'rejected'} onClick={() => onReview({ decision: 'rejected' })} aria-label={`Reject segment ${index}`}>
                ✗ Reject
              </button>
            </>
          )}
        </span>
      </header>
      {open && (
        <div className="seg-body">
          <div className="seg-edit">
            <label className="field">
              <span className="field-label">Label</span>
              <input
                key={seg.label}
                name="label"
                list="segment-labels"
                defaultValue={seg.label}
                disabled={!editable}
                onBlur={(e) => saveLabel(e.currentTarget)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    saveLabel(e.currentTarget);
                  }
                }}
              />
              <datalist id="segment-labels">
                {LABELS.map((l) => (
                  <option key={l} value={l} />
                ))}
              </datalist>
            </label>
            <label className="field seg-notes">
              <span className="field-label">Notes</span>
              <input
                key={seg.notes ?? ''}
                name="notes"
                defaultValue={seg.notes ?? ''}
                disabled={!editable}
                placeholder="e.g. QSB, splatter from a neighbour"
                onBlur={(e) => saveNotes(e.currentTarget)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    saveNotes(e.currentTarget);
                  }
                }}
              />
            </label>
            {editable && (
              <button type="button" className="btn btn-small btn-danger" onClick={onDelete} disabled={busy}>
                Delete segment
              </button>
            )}
          </div>
          <div className="seg-rx">
            {seg.reviews.map((r) => (
              <ReceiverReview key={r.receiverId} r={r} editable={editable} busy={busy} freqHz={freqHz} spectrum={spectra[`${seg.id}:${r.receiverId}`]} onRetry={() => onRetrySpectrum(`${seg.id}:${r.receiverId}`)} onReview={onReview} />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

function ReceiverReview({
  r,
  editable,
  busy,
  freqHz,
  spectrum,
  onRetry,
  onReview,
}: {
  r: SegmentReview;
  editable: boolean;
  busy: boolean;
  freqHz: number;
  spectrum: SpectrumEntry | undefined;
  onRetry: () => void;
  onReview: (patch: { receiverId?: string; decision?: ReviewDecision }) => void;
}) {
  const snrClass = r.snrDb === null ? '' : r.snrDb >= 10 ? 'good' : r.snrDb >= 3 ? 'fair' : 'poor';
  return (
    <article className={`rxr rxr-${r.decision}`} data-testid="receiver-review" data-receiver-id={r.receiverId}>
      <header>
        <strong className="rxr-name">{r.receiverName}</strong>
        {!(editable && r.captureId) && <span className={`dec dec-${r.decision}`}>{r.decision === 'approved' ? '✓ approved' : r.decision === 'rejected' ? '✗ rejected' : 'pending'}</span>}
        {editable && r.captureId && (
          <span className="rxr-actions">
            <button type="button" className={r.decision === 'approved' ? 'btn btn-small btn-ok on' : 'btn btn-small btn-ok'} disabled={busy} aria-pressed={r.decision === 'approved'} aria-label={`Approve ${r.receiverName}`} title="Approve this receiver's recording (click again: pending)" onClick={() => onReview({ receiverId: r.receiverId, decision: r.decision === 'approved' ? 'pending' : 'approved' })}>
              ✓
            </button>
            <button type="button" className={r.decision === 'rejected' ? 'btn btn-small btn-no on' : 'btn btn-small btn-no'} disabled={busy} aria-pressed={r.decision === 'rejected'} aria-label={`Reject ${r.receiverName}`} title="Reject this receiver's recording (click again: pending)" onClick={() => onReview({ receiverId: r.receiverId, decision: r.decision === 'rejected' ? 'pending' : 'rejected' })}>
              ✗
            </button>
          </span>
        )}
      </header>
      {!r.captureId ? (
        <p className="muted">This receiver recorded nothing for this segment (see Captures).</p>
      ) : (
        <>
          <dl className="metrics">
            <div>
              <dt>SNR dB</dt>
              <dd className={`mono snr-${snrClass}`}>{num(r.snrDb)}</dd>
            </div>
            <div>
              <dt>Signal dB</dt>
              <dd className="mono">{num(r.signalPowerDb)}</dd>
            </div>
            <div>
              <dt>Noise dB</dt>
              <dd className="mono">{num(r.noisePowerDb)}</dd>
            </div>
            <div title={fmtOffsetHz(r.freqOffsetHz)}>
              <dt>Offset Hz</dt>
              <dd className="mono">{r.freqOffsetHz === null ? '—' : Math.abs(r.freqOffsetHz) >= 100 ? `${r.freqOffsetHz > 0 ? '+' : ''}${Math.round(r.freqOffsetHz)}` : `${r.freqOffsetHz >= 0.05 ? '+' : ''}${num(r.freqOffsetHz)}`}</dd>
            </div>
          </dl>
          {r.windows === 0 && <p className="muted small">No measurement window fell inside this segment: it is shorter than one window.</p>}
          <div className="spectrum-box">
            {spectrum === undefined || spectrum === 'loading' ? (
              <div className="spectrum-placeholder">Computing the spectrum…</div>
            ) : 'error' in spectrum ? (
              <div className="spectrum-placeholder spectrum-error">
                <span>No spectrum: {spectrum.error}</span>
                <button type="button" className="btn btn-small" onClick={onRetry}>
                  Try again
                </button>
              </div>
            ) : (
              <SegmentSpectrumPlot spectrum={spectrum} centerHz={freqHz} label={r.receiverName} />
            )}
          </div>
        </>
      )}
    </article>
  );
}

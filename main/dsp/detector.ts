/** A transmission the detector saw: sample range and its strongest window. */
interface DetectedSegment {
  startSample: number;
  endSample: number;
  peakSnrDb: number;
}

interface DetectorOptions {
  /** SNR that starts a segment (dB). */
  onDb: number;
  /** SNR below which a segment may end (dB); lower than onDb: that gap is the hysteresis. */
  offDb: number;
  /** Windows above onDb needed before a segment counts (filters clicks). */
  minOnWindows?: number;
  /** Windows below offDb needed before a segment ends (bridges fades). */
  minOffWindows?: number;
}

/**
 * Proposes transmission segments from per-window SNRs with hysteresis, for sessions to show next
 * to the operator's own key-up marks.
 */
export class SignalDetector {
  private on = false;
  private run = 0;
  private start = 0;
  private end = 0;
  private peak = -Infinity;
  private readonly done: DetectedSegment[] = [];

  constructor(private readonly opts: DetectorOptions) {
    if (opts.offDb > opts.onDb) throw new Error('offDb must not exceed onDb (hysteresis)');
  }

  /** One analysis window [startSample, startSample + length) and its SNR. */
  push(startSample: number, length: number, snrDb: number): void {
    const minOn = this.opts.minOnWindows ?? 2;
    const minOff = this.opts.minOffWindows ?? 2;
    if (!this.on) {
      if (snrDb >= this.opts.onDb) {
        if (this.run === 0) {
          this.start = startSample;
          this.peak = -Infinity;
        }
        this.run++;
        this.peak = Math.max(this.peak, snrDb);
        this.end = startSample + length;
        if (this.run >= minOn) {
          this.on = true;
          this.run = 0;
        }
      } else {
        this.run = 0;
      }
      return;
    }
    if (snrDb < this.opts.offDb) {
      this.run++;
      if (this.run >= minOff) {
        this.done.push({ startSample: this.start, endSample: this.end, peakSnrDb: this.peak });
        this.on = false;
        this.run = 0;
      }
    } else {
      this.run = 0;
      this.end = startSample + length;
      this.peak = Math.max(this.peak, snrDb);
    }
  }

  /** Closes an open segment at the end of the data and returns every segment found. */
  finish(): DetectedSegment[] {
    if (this.on) this.done.push({ startSample: this.start, endSample: this.end, peakSnrDb: this.peak });
    this.on = false;
    return [...this.done];
  }
}

/**
 * Morse keying for simulated beacons: the key-down intervals of a text at a speed (PARIS timing:
 * dit 1, dah 3, gap 1 inside a letter, 3 between letters, 7 between words), and the envelope of
 * the keyed carrier with raised-cosine edges, so it sounds like a shaped transmitter, not clicks.
 */
const CODE: Record<string, string> = {
  A: '.-', B: '-...', C: '-.-.', D: '-..', E: '.', F: '..-.', G: '--.', H: '....', I: '..', J: '.---', K: '-.-', L: '.-..', M: '--',
  N: '-.', O: '---', P: '.--.', Q: '--.-', R: '.-.', S: '...', T: '-', U: '..-', V: '...-', W: '.--', X: '-..-', Y: '-.--', Z: '--..',
  '0': '-----', '1': '.----', '2': '..---', '3': '...--', '4': '....-', '5': '.....', '6': '-....', '7': '--...', '8': '---..', '9': '----.',
  '/': '-..-.', '?': '..--..', '=': '-...-', '.': '.-.-.-', ',': '--..--',
};

export interface MorseTiming {
  /** Key-down intervals in seconds from the start of the text. */
  marks: Array<[number, number]>;
  /** The text's length in seconds, including the word gap after it. */
  seconds: number;
  unitSec: number;
}

const cache = new Map<string, MorseTiming>();

export function morseTiming(text: string, wpm: number): MorseTiming {
  const key = `${wpm}:${text}`;
  const known = cache.get(key);
  if (known) return known;
  const unit = 1.2 / wpm;
  const marks: Array<[number, number]> = [];
  let t = 0;
  const words = text.toUpperCase().trim().split(/\s+/);
  words.forEach((word, wi) => {
    [...word].forEach((ch, ci) => {
      const code = CODE[ch];
      if (!code) throw new Error(`"${ch}" has no Morse code; use letters, digits and / ? = . ,`);
      [...code].forEach((el, ei) => {
        const len = el === '.' ? 1 : 3;
        marks.push([t * unit, (t + len) * unit]);
        t += len;
        if (ei < code.length - 1) t += 1;
      });
      if (ci < word.length - 1) t += 3;
    });
    t += 7;
    void wi;
  });
  const timing = { marks, seconds: t * unit, unitSec: unit };
  cache.set(key, timing);
  return timing;
}

/** Edge time of the keying: 4 ms rises and falls keep the spectrum within a few hundred hertz. */
export const KEYING_RAMP_SEC = 0.004;

/**
 * A raised-cosine key edge, `sinceEdge` seconds after it starts (0 before, 1 after the ramp). Every
 * edge is shaped: a hard step is not band-limited, so where it fell between two samples would be
 * lost, and a receiver's delay would come out rounded to its sample grid.
 */
export function keyingRamp(sinceEdge: number): number {
  if (sinceEdge <= 0) return 0;
  return sinceEdge >= KEYING_RAMP_SEC ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * sinceEdge) / KEYING_RAMP_SEC);
}

/**
 * Envelope (0..1) of a beacon `sinceKeyUp` seconds into its key-up: the text, then carrier for the
 * rest of the key-up (rising like a mark), the way beacons send their identifier and then a long dash.
 */
export function morseEnvelope(timing: MorseTiming, sinceKeyUp: number): number {
  if (sinceKeyUp >= timing.seconds) return keyingRamp(sinceKeyUp - timing.seconds);
  const m = timing.marks;
  let lo = 0;
  let hi = m.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (m[mid]![0] <= sinceKeyUp) lo = mid;
    else hi = mid - 1;
  }
  const [a, b] = m[lo]!;
  if (sinceKeyUp < a || sinceKeyUp >= b) return 0;
  return keyingRamp(Math.min(sinceKeyUp - a, b - sinceKeyUp));
}

import { useEffect } from 'react';
import { pages } from './pages';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" onClick={onClose}>
      <div className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {pages.map((p) => (
              <tr key={p.id}>
                <td>
                  <kbd>Alt</kbd>+<kbd>{p.key}</kbd>
                </td>
                <td>Go to {p.label}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>N</kbd>
              </td>
              <td>Add a receiver (Receivers page)</td>
            </tr>
            <tr>
              <td>
                <kbd>+</kbd> / <kbd>−</kbd>
              </td>
              <td>Zoom in / out in frequency, around the cursor (Live page)</td>
            </tr>
            <tr>
              <td>
                <kbd>0</kbd>
              </td>
              <td>Reset the frequency zoom (Live page)</td>
            </tr>
            <tr>
              <td>
                <kbd>[</kbd> / <kbd>]</kbd>
              </td>
              <td>More time, shorter rows / less time, taller rows (Live page)</td>
            </tr>
            <tr>
              <td>
                <kbd>P</kbd>
              </td>
              <td>Pause / resume the waterfalls (Live page)</td>
            </tr>
            <tr>
              <td>
                <kbd>←</kbd> / <kbd>→</kbd>
              </td>
              <td>Move the frequency cursor on the focused waterfall; with <kbd>Shift</kbd>, ten steps (Live page)</td>
            </tr>
            <tr>
              <td>
                <kbd>Home</kbd>
              </td>
              <td>Cursor to the dial frequency (focused waterfall)</td>
            </tr>
            <tr>
              <td>
                <kbd>Enter</kbd>
              </td>
              <td>Tune the monitor to the cursor (focused waterfall)</td>
            </tr>
            <tr>
              <td>
                <kbd>PgUp</kbd> / <kbd>PgDn</kbd>
              </td>
              <td>Older / newer rows, pausing the waterfalls (focused waterfall)</td>
            </tr>
            <tr>
              <td>Wheel · drag · click</td>
              <td>Zoom · pan · tune, on a waterfall or the spectrum (Live page)</td>
            </tr>
            <tr>
              <td>
                <kbd>N</kbd>
              </td>
              <td>New session / known source / dataset (Sessions and Datasets pages)</td>
            </tr>
            <tr>
              <td>
                <kbd>Space</kbd> (hold)
              </td>
              <td>Transmit marker while a session records: hold while the source transmits</td>
            </tr>
            <tr>
              <td>
                <kbd>↑</kbd> / <kbd>↓</kbd>
              </td>
              <td>Previous / next segment (session review)</td>
            </tr>
            <tr>
              <td>
                <kbd>A</kbd> / <kbd>R</kbd>
              </td>
              <td>Approve / reject the chosen segment (session review)</td>
            </tr>
            <tr>
              <td>
                <kbd>L</kbd> · <kbd>Shift</kbd>+<kbd>L</kbd>
              </td>
              <td>Locate the transmitter from the session · from the chosen segment alone (session review)</td>
            </tr>
            <tr>
              <td>
                <kbd>Z</kbd> · <kbd>F</kbd>
              </td>
              <td>Zoom to the located fix · fit the whole map (focused map)</td>
            </tr>
            <tr>
              <td>
                Speaker · <kbd>Shift</kbd>+speaker
              </td>
              <td>Listen to that receiver alone · add it to the mix (Live, recording)</td>
            </tr>
            <tr>
              <td>
                <kbd>M</kbd>
              </td>
              <td>Mute / unmute all audio (Live, recording, review)</td>
            </tr>
            <tr>
              <td>
                <kbd>Space</kbd> · <kbd>B</kbd>
              </td>
              <td>Play / stop the segment · switch between receivers A and B (session review)</td>
            </tr>
            <tr>
              <td>Drag a yellow edge</td>
              <td>Move that edge of the passband (<kbd>Shift</kbd>+drag inside: move the whole band)</td>
            </tr>
            <tr>
              <td>
                <kbd>Enter</kbd>
              </td>
              <td>Submit a form (<kbd>Ctrl</kbd>+<kbd>Enter</kbd> from a multi-line field)</td>
            </tr>
            <tr>
              <td>
                <kbd>?</kbd> / <kbd>F1</kbd>
              </td>
              <td>This help</td>
            </tr>
            <tr>
              <td>
                <kbd>Esc</kbd>
              </td>
              <td>Close a dialog</td>
            </tr>
          </tbody>
        </table>
        <div className="dialog-actions">
          <button className="btn" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

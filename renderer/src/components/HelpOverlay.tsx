import { useEffect } from 'react';
import { pages } from '../pages/pages';

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

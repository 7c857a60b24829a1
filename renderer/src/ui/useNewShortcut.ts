import { useEffect, useRef } from 'react';
import { shortcutAllowed } from './keyboard';

/**
 * N (no modifier, not while typing, not while a dialog is open) calls `onNew`. One listener for the
 * page's life that reads the latest callback and asks the page for open dialogs, so the key works
 * the moment a dialog has closed (a listener re-registered on each state change missed that moment).
 */
export function useNewShortcut(onNew: () => void, active = true): void {
  const latest = useRef({ onNew, active });
  useEffect(() => {
    latest.current = { onNew, active };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const l = latest.current;
      if (!l.active || !shortcutAllowed(e)) return;
      if (e.key === 'n' || e.key === 'N') {
        e.preventDefault();
        l.onNew();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

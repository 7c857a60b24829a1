/** Shared keyboard helpers: when a page-level shortcut must stay quiet. */

/**
 * Keys typed into a text field are text, not shortcuts: true for editable content, text areas,
 * selects and text-like inputs. Checkboxes, radios, buttons and sliders do not count.
 */
export const isTyping = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement &&
  (t.isContentEditable ||
    t.tagName === 'TEXTAREA' ||
    t.tagName === 'SELECT' ||
    (t instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range'].includes(t.type)));

/** True while a modal dialog (any Dialog, the receiver form, the shortcut help) is open. */
export const dialogOpen = (): boolean => document.querySelector('[role="dialog"][aria-modal="true"]') !== null;

/** A plain key press that a page-level shortcut may take: no Ctrl/Meta/Alt, not typing, no modal open. */
export const shortcutAllowed = (e: KeyboardEvent): boolean => !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target) && !dialogOpen();

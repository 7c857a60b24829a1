import { cloneElement, useEffect, useId, useRef, type FormEvent, type ReactElement, type ReactNode } from 'react';
import './ui.css';

/** Open dialogs, innermost last: Esc closes only the innermost one. */
const stack: string[] = [];


/**
 * A modal dialog around a form: Esc closes it, Enter submits it (Ctrl+Enter from a text area),
 * the first field gets the focus.
 */
export function Dialog({
  title,
  onClose,
  onSubmit,
  children,
  actions,
  wide,
  className,
  testId,
  error,
}: {
  title: string;
  onClose: () => void;
  onSubmit?: () => void;
  children: ReactNode;
  actions: ReactNode;
  wide?: boolean;
  className?: string;
  testId?: string;
  /** What went wrong with the whole form: shown by the buttons, so it is seen even when the form scrolls. */
  error?: string | null;
}) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    stack.push(id);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && stack[stack.length - 1] === id) {
        e.preventDefault();
        close.current();
      }
    };
    window.addEventListener('keydown', onKey);
    const first = form.current?.querySelector<HTMLElement>('[data-autofocus], input:not([type=hidden]):not([disabled]), select, textarea');
    first?.focus();
    return () => {
      window.removeEventListener('keydown', onKey);
      const i = stack.indexOf(id);
      if (i >= 0) stack.splice(i, 1);
    };
  }, [id]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit?.();
  };

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid={testId}>
      <form
        ref={form}
        className={['dialog', 'hs-dialog', wide ? 'dialog-wide' : '', className ?? ''].filter(Boolean).join(' ')}
        onSubmit={submit}
        noValidate
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target instanceof HTMLTextAreaElement) {
            e.preventDefault();
            form.current?.requestSubmit();
          }
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        <div className="dialog-actions">
          {error && (
            <p className="form-error hs-dialog-error" role="alert">
              {error}
            </p>
          )}
          {actions}
        </div>
      </form>
    </div>
  );
}

/** A labelled form field; its error or hint sits underneath and describes the control (not part of its name). */
export function Field({ label, error, hint, children, wide, className }: { label: string; error?: string; hint?: ReactNode; children: ReactElement; wide?: boolean; className?: string }) {
  const id = useId();
  const note = error ? 'msg' : hint ? 'hint' : null;
  const control = note ? cloneElement(children as ReactElement<{ 'aria-describedby'?: string; 'aria-invalid'?: boolean }>, { 'aria-describedby': `${id}-${note}`, ...(error ? { 'aria-invalid': true } : {}) }) : children;
  return (
    <div className={['field', error ? 'field-error' : '', wide ? 'field-wide' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label className="field-body">
        <span className="field-label">{label}</span>
        {control}
      </label>
      {error ? (
        <span className="field-msg" id={`${id}-msg`}>
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/**
 * A panel that opens over the charts from a top-bar button (import, broker keys): it takes focus when
 * it opens, closes with Escape or its × button, and gives focus back to what had it. It floats, so
 * opening it moves nothing else on the screen.
 */
import { useEffect, useEffectEvent, useId, useRef, type ReactNode } from 'react';

interface PanelProps {
  title: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
}

const FOCUSABLE =
  'input:not([disabled]), button:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

export function Panel({ title, testId, onClose, children }: PanelProps) {
  const ref = useRef<HTMLElement>(null);
  const titleId = useId();

  // Escape closes the panel while the focus is in it, or nowhere in particular (a button that was
  // just disabled drops the focus to the page).
  const onEscape = useEffectEvent((event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const focus = document.activeElement;
    if (focus !== null && focus !== document.body && !ref.current?.contains(focus)) return;
    event.preventDefault();
    onClose();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent): void => onEscape(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const panel = ref.current;
    // The first field if there is one, else the panel itself.
    const first = panel?.querySelector<HTMLElement>(`.panel-body :is(${FOCUSABLE})`);
    (first ?? panel)?.focus();
    return () => {
      const focus = document.activeElement;
      if (opener?.isConnected && (focus === null || focus === document.body || panel?.contains(focus))) {
        opener.focus();
      }
    };
  }, []);

  return (
    <section
      ref={ref}
      className="panel"
      role="dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      tabIndex={-1}
    >
      <header className="panel-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="panel-close" aria-label={`Close ${title}`} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/**
 * What the trading bar's popovers (kill switch confirm, live arming, rebalance) share: closing on Escape
 * (and, where asked, on a click outside), and the plain-words problem line under a failed call.
 */
import { useEffect, type RefObject } from 'react';

/**
 * While `open`, Escape anywhere calls setOpen(false); with `box`, so does a mouse press outside it.
 * @param setOpen a state setter (stable across renders).
 */
export function usePopoverDismiss(
  open: boolean,
  setOpen: (open: boolean) => void,
  box?: RefObject<HTMLElement | null>,
): void {
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setOpen(false);
    };
    const onDown = (event: MouseEvent): void => {
      if (box && !box.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [open, setOpen, box]);
}

/** A failed call's message as an alert (a line of its own with `block`, else inline); nothing for null. */
export function CallProblem({ message, block = false }: { message: string | null; block?: boolean }) {
  if (message === null) return null;
  const Tag = block ? 'div' : 'span';
  return (
    <Tag className="kill-switch-problem" role="alert">
      {message}
    </Tag>
  );
}

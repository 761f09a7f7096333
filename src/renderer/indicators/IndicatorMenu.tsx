/**
 * The pane header's indicator menu: a small "ƒx" button opening a popover that lists the pane's indicators
 * (each with a remove button) and offers to add SMA, EMA, Bollinger Bands, VWAP, RSI or MACD with their
 * usual parameters, checked as the trader types. VWAP is not offered on daily panes (the row says why).
 * Escape or a click outside closes it. The pane saves the list in the workspace (onChange).
 *
 * The popover is drawn in the document's body at a fixed place by the button (below it, or above it when
 * there is more room there; scrolling within when neither has enough): a pane at the bottom of the grid
 * would otherwise have it cut off or covered by the panels below.
 */
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import type { Indicator, IndicatorKind, Timeframe } from '../../shared/domain';
import { useWorkspaceControl } from '../workspace/workspace-context';
import {
  INDICATOR_KINDS,
  PARAM_FIELDS,
  addBlockedReason,
  initialFields,
  newIndicatorId,
  readIndicatorForm,
} from './indicator-form';
import { KIND_NAMES, KIND_TITLES, indicatorLabel, indicatorStyles } from './indicator-style';

export function IndicatorMenu({
  indicators,
  timeframe,
  onChange,
}: {
  indicators: readonly Indicator[];
  /** The pane's timeframe: VWAP is for intraday panes only. */
  timeframe: Timeframe;
  onChange: (next: Indicator[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const boxRef = useRef<HTMLDivElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  useDismiss(open, setOpen, boxRef, popoverRef);
  const place = usePlacement(open, boxRef);
  // The popover is at the end of the body: keyboard focus moves into it when it opens.
  useEffect(() => {
    if (open) popoverRef.current?.focus();
  }, [open]);
  const styles = indicatorStyles(indicators, useWorkspaceControl().workspace.theme);

  return (
    <div className="indicator-menu" ref={boxRef}>
      <button
        type="button"
        className="indicator-menu-button"
        data-testid="indicator-menu"
        aria-label="Indicators"
        aria-haspopup="dialog"
        aria-expanded={open}
        title="Indicators"
        onClick={() => setOpen((was) => !was)}
      >
        ƒx
        {indicators.length > 0 && <span className="indicator-count">{indicators.length}</span>}
      </button>
      {open &&
        createPortal(
          <div
            className="indicator-popover"
            data-testid="indicator-popover"
            role="dialog"
            aria-label="Indicators"
            ref={popoverRef}
            tabIndex={-1}
            style={place}
          >
            <div className="indicator-section">On this pane</div>
            {indicators.length === 0 ? (
              <div className="indicator-none">None yet: add one below.</div>
            ) : (
              <ul className="indicator-list">
                {indicators.map((indicator, i) => (
                  <li key={indicator.id} data-testid="indicator-item" data-kind={indicator.kind}>
                    <span className="indicator-swatch" style={{ background: styles[i]!.color }} />
                    <span className="indicator-name">{indicatorLabel(indicator)}</span>
                    <button
                      type="button"
                      className="indicator-remove"
                      data-testid="indicator-remove"
                      aria-label={`Remove ${indicatorLabel(indicator)}`}
                      title={`Remove ${indicatorLabel(indicator)}`}
                      onClick={() => onChange(indicators.filter((other) => other.id !== indicator.id))}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <div className="indicator-section">Add</div>
            {INDICATOR_KINDS.map((kind) => (
              <AddRow
                key={kind}
                kind={kind}
                blocked={addBlockedReason(kind, { indicators: [...indicators] }, timeframe)}
                onAdd={(make) =>
                  onChange([...indicators, make(newIndicatorId(kind, indicators, Date.now()))])
                }
              />
            ))}
          </div>,
          document.body,
        )}
    </div>
  );
}

/** Gap between the button and the popover, and the least margin kept to the window's edges (px). */
const GAP = 4;
const MARGIN = 8;
const POPOVER_WIDTH = 250;
/** Below the button whenever this much room is there (the popover's usual height). */
const WANTED_HEIGHT = 340;

/** Where the open popover goes: fixed by the button, within the window; again when the window resizes. */
function usePlacement(open: boolean, anchor: RefObject<HTMLElement | null>): CSSProperties | undefined {
  const [place, setPlace] = useState<CSSProperties>();
  useLayoutEffect(() => {
    if (!open) return;
    const measure = (): void => {
      const box = anchor.current?.getBoundingClientRect();
      if (!box) return;
      const { innerWidth: width, innerHeight: height } = window;
      const left = Math.max(MARGIN, Math.min(box.right - POPOVER_WIDTH, width - POPOVER_WIDTH - MARGIN));
      const below = height - box.bottom - GAP - MARGIN;
      const above = box.top - GAP - MARGIN;
      setPlace(
        below >= WANTED_HEIGHT || below >= above
          ? { position: 'fixed', left, top: box.bottom + GAP, maxHeight: below }
          : { position: 'fixed', left, bottom: height - box.top + GAP, maxHeight: above },
      );
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [open, anchor]);
  return open ? place : undefined;
}

/** While open, Escape or a mouse press outside both the button's box and the popover closes it. */
function useDismiss(
  open: boolean,
  setOpen: (open: boolean) => void,
  box: RefObject<HTMLElement | null>,
  popover: RefObject<HTMLElement | null>,
): void {
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      // Back to the button when focus was in the popover (it is about to go).
      if (popover.current?.contains(document.activeElement)) box.current?.querySelector('button')?.focus();
    };
    const onDown = (event: MouseEvent): void => {
      const target = event.target as Node;
      if (!box.current?.contains(target) && !popover.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [open, setOpen, box, popover]);
}

/** One kind's parameters and its Add button; the problem with what is typed shows as it is typed. */
function AddRow({
  kind,
  blocked,
  onAdd,
}: {
  kind: IndicatorKind;
  /** Why it cannot be added now (null: it can). */
  blocked: string | null;
  onAdd: (make: (id: string) => Indicator) => void;
}) {
  const [fields, setFields] = useState(() => initialFields(kind));
  // The id is a placeholder while checking; the real one is made when added.
  const reading = readIndicatorForm(kind, fields, 'check');
  const name = KIND_NAMES[kind];
  return (
    <div className="indicator-add-row" data-testid="indicator-add-row" data-kind={kind}>
      <span className="indicator-kind" title={KIND_TITLES[kind]}>
        {name}
      </span>
      {PARAM_FIELDS[kind].map((field) => (
        <input
          key={field.name}
          type="number"
          className="indicator-param"
          data-testid={`indicator-param-${field.name}`}
          aria-label={`${name} ${field.label}`}
          title={field.label}
          min={field.step === 1 ? 1 : 0}
          step={field.step}
          value={fields[field.name] ?? ''}
          aria-invalid={reading.problem !== null}
          disabled={blocked !== null}
          onChange={(event) => setFields((was) => ({ ...was, [field.name]: event.target.value }))}
        />
      ))}
      <button
        type="button"
        className="indicator-add"
        data-testid={`indicator-add-${kind}`}
        disabled={blocked !== null || reading.indicator === null}
        title={blocked ?? reading.problem ?? `Add ${name}`}
        onClick={() => {
          const { indicator } = reading;
          if (indicator !== null) onAdd((id) => ({ ...indicator, id }));
        }}
      >
        Add
      </button>
      {(blocked ?? reading.problem) !== null && (
        <div className="indicator-problem" data-testid="indicator-problem">
          {blocked ?? reading.problem}
        </div>
      )}
    </div>
  );
}

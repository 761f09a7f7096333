/**
 * The order ticket: symbol (the chart's by default, editable), Buy/Sell, quantity, type (the limit and
 * stop price fields appear as the type needs them) and time in force. Checked as the trader types by the
 * contract's own schema (a message under each wrong field; Place stays disabled until all are right);
 * the risk engine's verdict on the order (`orders.preview`, ~150 ms after the last keystroke) shows before
 * anything is sent. Place sends `orders.place` with a client order id made for this submission, and the
 * same id again if the trader retries a submission whose answer the link lost (never a second order).
 * Keys while the ticket has focus: B / S pick the side, Enter places, Esc clears. Esc and placing also take
 * the focus out of the ticket (and a placed order empties the quantity): a key typed later (a `1` for a
 * timeframe) must not arm another order, and one more Enter must not place it.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  ORDER_TYPES,
  TIMES_IN_FORCE,
  type Order,
  type OrderPreview,
  type OrderRequest,
  type OrderSide,
  type OrderType,
  type PlaceOrderResult,
  type TimeInForce,
} from '../../shared/domain';
import { EngineError } from '../../shared/protocol';
import type { EngineClient } from '../../shared/rpc-client';
import { describeCallError } from '../signals/use-engine-call';
import {
  checkTicket,
  clientOrderIdFor,
  draftKey,
  emptyDraft,
  needsLimitPrice,
  needsStopPrice,
  type Submission,
  type TicketDraft,
  type TicketField,
} from './ticket-form';
import { formatDenial, formatMoney, formatShares, TYPE_LABEL } from './trading-format';
import { followPlaced, placedText } from './trading-view';

/** How long the preview waits after the last keystroke before asking the risk engine. */
export const PREVIEW_DEBOUNCE_MS = 150;
/** The id a preview carries: the schema wants one; a preview places nothing. */
const PREVIEW_ID = 'preview';

/**
 * The ticket's key hint, short enough for one line of the 224 px ticket (it may still wrap, never clip):
 * ⇧B / ⇧S open the ticket on a side from anywhere, ⏎ places, Esc clears.
 */
export const TICKET_SHORTCUTS = '⇧B buy · ⇧S sell · ⏎ place · Esc clear';
/** The same keys spelled out, as the ticket's tooltip. */
const TICKET_SHORTCUTS_TITLE = 'Shift+B buy · Shift+S sell · Enter place · Esc clear';

const TIF_LABEL: Record<TimeInForce, string> = { day: 'Day', gtc: 'GTC', ioc: 'IOC' };
const TIF_TITLE =
  'Day: until the close of the trading session · GTC: until cancelled · IOC: what fills at once, the rest cancelled';

type Outcome =
  { kind: 'sending' } | { kind: 'placed'; result: PlaceOrderResult } | { kind: 'error'; message: string };

type PreviewState =
  { key: string; kind: 'ok'; preview: OrderPreview } | { key: string; kind: 'error'; message: string };

interface OrderTicketProps {
  client: EngineClient;
  /** The chart's symbol: the ticket's until the trader types another. */
  chartSymbol: string | null;
  /** Why no order can be sent now (trading not available, link down), or null. */
  blocked: string | null;
  /** The blotter's orders: the placed order's later states (filled, cancelled) come from them. */
  orders: readonly Order[];
}

export function OrderTicket({ client, chartSymbol, blocked, orders }: OrderTicketProps) {
  const baseId = useId();
  const [typed, setDraft] = useState<TicketDraft>(() => emptyDraft(''));
  const [symbolTyped, setSymbolTyped] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<TicketField>>(new Set());
  const [submission, setSubmission] = useState<Submission | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  /** Takes the focus out of the ticket (to the document), if it is in it. */
  const leaveTicket = (): void => {
    const focused = document.activeElement;
    if (focused instanceof HTMLElement && formRef.current?.contains(focused)) focused.blur();
  };

  // The chart's symbol until the trader typed one of their own.
  const draft: TicketDraft = symbolTyped ? typed : { ...typed, symbol: chartSymbol ?? '' };

  const check = checkTicket(draft, PREVIEW_ID);
  const previewKey = check.ok ? draftKey(check.request) : null;

  // The risk preview: debounced, and only the answer for what is typed now is shown.
  useEffect(() => {
    if (!check.ok || previewKey === null || blocked !== null) return;
    const request = check.request;
    let cancelled = false;
    const timer = setTimeout(() => {
      client.call('orders.preview', request).then(
        (value) => {
          if (!cancelled) setPreview({ key: previewKey, kind: 'ok', preview: value });
        },
        (error: unknown) => {
          if (!cancelled) setPreview({ key: previewKey, kind: 'error', message: describeCallError(error) });
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // previewKey stands for the request's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, previewKey, blocked]);

  const edit = (field: TicketField, patch: Partial<TicketDraft>): void => {
    setDraft((d) => ({ ...d, ...patch }));
    setTouched((t) => (t.has(field) ? t : new Set([...t, field])));
    if (outcome?.kind !== 'sending') setOutcome(null);
  };
  const pickSide = (side: OrderSide): void => edit('side', { side });

  const clear = (): void => {
    setDraft(emptyDraft(''));
    setSymbolTyped(false);
    setTouched(new Set());
    setSubmission(null);
    setOutcome(null);
    setPreview(null);
  };

  const place = (): void => {
    setTouched(new Set(['symbol', 'qty', 'limitPrice', 'stopPrice']));
    if (blocked !== null || outcome?.kind === 'sending') return;
    const ready = checkTicket(draft, PREVIEW_ID);
    if (!ready.ok) return;
    const clientOrderId = clientOrderIdFor(submission, ready.request, () => crypto.randomUUID());
    const request: OrderRequest = { ...ready.request, clientOrderId };
    setSubmission({ request, unanswered: false });
    setOutcome({ kind: 'sending' });
    leaveTicket();
    client.call('orders.place', request).then(
      (result) => {
        setSubmission({ request, unanswered: false });
        setOutcome({ kind: 'placed', result });
        if (result.order !== null) {
          // Placed: the next order starts from an empty quantity (a refused one keeps it, to correct).
          setDraft((d) => ({ ...d, qty: '' }));
          setTouched(new Set());
        }
      },
      (error: unknown) => {
        // No answer: the order may exist. Placing the same order again resends this id, so the engine
        // answers with the order it holds instead of placing a second one.
        const lost =
          error instanceof EngineError && (error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT');
        setSubmission({ request, unanswered: lost });
        setOutcome({
          kind: 'error',
          message: lost
            ? `No answer from the engine (${describeCallError(error)}). The order may have gone out: Place again retries this same order, which is never placed twice.`
            : describeCallError(error),
        });
      },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement;
    const inSymbol = target instanceof HTMLInputElement && target.name === 'symbol';
    const key = event.key.toLowerCase();
    if (!inSymbol && (key === 'b' || key === 's')) {
      event.preventDefault();
      pickSide(key === 'b' ? 'buy' : 'sell');
    } else if (event.key === 'Enter' && !(target instanceof HTMLButtonElement)) {
      // Enter places from any field (a select does not submit a form by itself).
      event.preventDefault();
      place();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      clear();
      leaveTicket();
    }
  };

  const errors = check.ok ? {} : check.errors;
  const shownError = (field: TicketField): string | null =>
    touched.has(field) || (field !== 'qty' && draft[field as keyof TicketDraft] !== '')
      ? (errors[field] ?? null)
      : null;
  const field = (name: TicketField, label: string, control: ReactNode): ReactNode => {
    const message = shownError(name);
    return (
      // The title names the field where short windows hide the label (styles.css, max-height 860px).
      <label className="ticket-field" data-field={name} title={label}>
        <span className="ticket-label">{label}</span>
        {control}
        {message !== null ? (
          <span className="ticket-problem" id={`${baseId}-${name}-problem`} role="alert">
            {message}
          </span>
        ) : null}
      </label>
    );
  };
  const invalid = (name: TicketField) => ({
    'aria-invalid': shownError(name) !== null,
    'aria-describedby': shownError(name) !== null ? `${baseId}-${name}-problem` : undefined,
  });

  /** A dollar price input (stop or limit), in its labelled field. */
  const priceField = (name: 'stopPrice' | 'limitPrice', label: string, testId: string): ReactNode =>
    field(
      name,
      label,
      <input
        type="text"
        inputMode="decimal"
        name={name}
        className="numeric"
        data-testid={testId}
        placeholder="$"
        autoComplete="off"
        value={draft[name]}
        {...invalid(name)}
        onChange={(event) => edit(name, { [name]: event.target.value })}
      />,
    );

  const sending = outcome?.kind === 'sending';
  const currentPreview = preview !== null && preview.key === previewKey ? preview : null;

  return (
    <form
      ref={formRef}
      className={`order-ticket ticket-${draft.side}`}
      data-testid="order-ticket"
      aria-label="Order ticket"
      title={TICKET_SHORTCUTS_TITLE}
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        place();
      }}
      noValidate
    >
      <div className="ticket-row">
        {field(
          'symbol',
          'Symbol',
          <input
            type="text"
            name="symbol"
            className="ticket-symbol"
            data-testid="ticket-symbol"
            spellCheck={false}
            autoComplete="off"
            value={draft.symbol}
            {...invalid('symbol')}
            onChange={(event) => {
              setSymbolTyped(true);
              edit('symbol', { symbol: event.target.value.toUpperCase() });
            }}
          />,
        )}
        <div className="ticket-side" role="group" aria-label="Side">
          <button
            type="button"
            className="ticket-buy"
            data-testid="ticket-side-buy"
            aria-pressed={draft.side === 'buy'}
            title="Buy (B)"
            onClick={() => pickSide('buy')}
          >
            Buy
          </button>
          <button
            type="button"
            className="ticket-sell"
            data-testid="ticket-side-sell"
            aria-pressed={draft.side === 'sell'}
            title="Sell (S)"
            onClick={() => pickSide('sell')}
          >
            Sell
          </button>
        </div>
      </div>
      <div className="ticket-row">
        {field(
          'qty',
          'Quantity',
          <input
            type="text"
            inputMode="numeric"
            name="qty"
            className="numeric"
            data-testid="ticket-qty"
            placeholder="Qty (shares)"
            autoComplete="off"
            value={draft.qty}
            {...invalid('qty')}
            onChange={(event) => edit('qty', { qty: event.target.value })}
          />,
        )}
        {field(
          'type',
          'Type',
          <select
            name="type"
            data-testid="ticket-type"
            value={draft.type}
            onChange={(event) => edit('type', { type: event.target.value as OrderType })}
          >
            {ORDER_TYPES.map((type) => (
              <option key={type} value={type}>
                {TYPE_LABEL[type]}
              </option>
            ))}
          </select>,
        )}
      </div>
      {needsLimitPrice(draft.type) || needsStopPrice(draft.type) ? (
        <div className="ticket-row">
          {needsStopPrice(draft.type) ? priceField('stopPrice', 'Stop price', 'ticket-stop-price') : null}
          {needsLimitPrice(draft.type) ? priceField('limitPrice', 'Limit price', 'ticket-limit-price') : null}
        </div>
      ) : null}
      <div className="ticket-row">
        {field(
          'tif',
          'Time in force',
          <select
            name="tif"
            data-testid="ticket-tif"
            title={TIF_TITLE}
            value={draft.tif}
            onChange={(event) => edit('tif', { tif: event.target.value as TimeInForce })}
          >
            {TIMES_IN_FORCE.map((tif) => (
              <option key={tif} value={tif}>
                {TIF_LABEL[tif]}
              </option>
            ))}
          </select>,
        )}
        <button
          type="submit"
          className={`ticket-place ticket-place-${draft.side}`}
          data-testid="ticket-place"
          disabled={!check.ok || blocked !== null || sending}
          title={blocked ?? 'Place the order (Enter)'}
        >
          {sending
            ? 'Placing…'
            : `${draft.side === 'buy' ? 'Buy' : 'Sell'}${check.ok ? ` ${formatShares(check.request.qty)} ${check.request.symbol}` : ''}`}
        </button>
      </div>
      <div className="ticket-preview" data-testid="ticket-preview" aria-live="polite">
        {/* Once placed, the engine's answer below says more than the preview of the same order. */}
        {outcome !== null && outcome.kind !== 'sending' ? null : blocked !== null ? (
          <span className="signals-muted">{blocked}</span>
        ) : !check.ok ? null : currentPreview === null ? (
          <span className="signals-muted">Checking risk…</span>
        ) : currentPreview.kind === 'error' ? (
          <span className="ticket-warn" data-verdict="error">
            {currentPreview.message}
          </span>
        ) : currentPreview.preview.denial !== null ? (
          <span className="ticket-bad" data-verdict="denied" data-rule={currentPreview.preview.denial.rule}>
            Would be refused by {formatDenial(currentPreview.preview.denial)}
          </span>
        ) : (
          <span className="ticket-ok" data-verdict="passes">
            Passes risk checks · notional {formatMoney(currentPreview.preview.notional)}
          </span>
        )}
      </div>
      {outcome !== null && outcome.kind !== 'sending' ? (
        <div
          className="ticket-result"
          data-testid="ticket-result"
          role="status"
          data-outcome={
            outcome.kind === 'error' ? 'error' : outcome.result.denial !== null ? 'denied' : 'placed'
          }
          data-rule={outcome.kind === 'placed' ? (outcome.result.denial?.rule ?? '') : ''}
          data-order-status={
            outcome.kind === 'placed' && outcome.result.order !== null
              ? followPlaced(outcome.result.order, orders).status
              : ''
          }
          data-client-order-id={submission?.request.clientOrderId ?? ''}
        >
          {outcome.kind === 'error' ? outcome.message : placedText(outcome.result, orders)}
        </div>
      ) : null}
      <div className="ticket-keys signals-muted">{TICKET_SHORTCUTS}</div>
    </form>
  );
}

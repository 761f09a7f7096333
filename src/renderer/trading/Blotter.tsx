/**
 * The blotter: working orders (each with a Cancel button), the history of finished ones (filled,
 * cancelled, expired, rejected with the reason) and the fills, newest first, live from the engine's
 * events. A tab picks which list shows; the working count is always on its tab.
 */
import { useState } from 'react';
import type { Fill, Order } from '../../shared/domain';
import type { EngineClient } from '../../shared/rpc-client';
import { describeCallError } from '../signals/use-engine-call';
import { canCancel, splitOrders, type BlotterState } from './blotter';
import {
  blotterTime,
  formatMoney,
  formatOrderPrice,
  formatOrderPrices,
  formatShares,
  formatTradeMoment,
  STATUS_LABEL,
  TYPE_LABEL,
} from './trading-format';

type BlotterTab = 'working' | 'history' | 'fills';

interface BlotterProps {
  client: EngineClient;
  blotter: BlotterState;
  /** Why trading is unavailable (shown instead of the lists), or null. */
  unavailable: string | null;
  /** The market clock (epoch ms; the portfolio's time), or null: rows of another day show their date. */
  now: number | null;
}

export function Blotter({ client, blotter, unavailable, now }: BlotterProps) {
  const [tab, setTab] = useState<BlotterTab>('working');
  const [cancelProblems, setCancelProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const { working, history } = splitOrders(blotter.orders);

  const cancel = (order: Order): void => {
    setCancelProblems((held) => {
      const next = new Map(held);
      next.delete(order.id);
      return next;
    });
    client.call('orders.cancel', { id: order.id }).catch((error: unknown) => {
      setCancelProblems((held) => new Map(held).set(order.id, describeCallError(error)));
    });
  };

  const message = unavailable ?? blotter.error;
  const tabs: { id: BlotterTab; label: string; count: number; testId: string }[] = [
    { id: 'working', label: 'Working', count: working.length, testId: 'blotter-tab-working' },
    { id: 'history', label: 'History', count: history.length, testId: 'blotter-tab-history' },
    { id: 'fills', label: 'Fills', count: blotter.fills.length, testId: 'blotter-tab-fills' },
  ];

  return (
    <section
      className="blotter"
      data-testid="blotter"
      aria-label="Orders and fills"
      data-loaded={blotter.loaded}
    >
      <div className="trading-tabs" role="tablist" aria-label="Blotter">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className="trading-tab"
            data-testid={t.testId}
            onClick={() => setTab(t.id)}
          >
            {t.label} <span className="numeric trading-count">{t.count}</span>
          </button>
        ))}
      </div>
      {message !== null ? (
        <div className="trading-unavailable" role="status">
          {message}
        </div>
      ) : (
        <div className="trading-table-wrap">
          {tab === 'fills' ? (
            <FillsTable fills={blotter.fills} now={now} />
          ) : (
            <OrdersTable
              orders={tab === 'working' ? working : history}
              working={tab === 'working'}
              onCancel={cancel}
              problems={cancelProblems}
              loaded={blotter.loaded}
              now={now}
            />
          )}
        </div>
      )}
    </section>
  );
}

function OrdersTable({
  orders,
  working,
  onCancel,
  problems,
  loaded,
  now,
}: {
  now: number | null;
  orders: readonly Order[];
  working: boolean;
  onCancel: (order: Order) => void;
  problems: ReadonlyMap<string, string>;
  loaded: boolean;
}) {
  if (orders.length === 0) {
    return (
      <div className="trading-empty signals-muted">
        {!loaded ? 'Loading orders…' : working ? 'No working orders.' : 'No finished orders yet.'}
      </div>
    );
  }
  return (
    <table className="trading-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Symbol</th>
          <th>Order</th>
          <th className="num">Filled</th>
          <th>Status</th>
          {working ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => {
          const problem = problems.get(order.id);
          return (
            <tr
              key={order.id}
              data-testid="blotter-order"
              data-status={order.status}
              data-order-id={order.id}
              data-client-order-id={order.clientOrderId}
              data-symbol={order.symbol}
            >
              <TimeCell ms={order.submittedAt} now={now} />
              <td className="trading-symbol">{order.symbol}</td>
              <td
                className="order-what"
                title={`${TYPE_LABEL[order.type]}, time in force ${order.tif.toUpperCase()}`}
              >
                {/* Side and prices wrap apart (never inside one) so a stop limit fits a narrow blotter. */}
                <span className={`side-${order.side}`}>
                  {order.side === 'buy' ? 'Buy' : 'Sell'} {formatShares(order.qty)}
                </span>{' '}
                <span>
                  {formatOrderPrices(order)} <span className="signals-muted">{order.tif.toUpperCase()}</span>
                </span>
              </td>
              <td className="num order-filled">
                <span>
                  {formatShares(order.filledQty)}/{formatShares(order.qty)}
                </span>
                {order.avgFillPrice !== null ? (
                  <>
                    {' '}
                    <span>@ {formatOrderPrice(order.avgFillPrice)}</span>
                  </>
                ) : null}
              </td>
              <td
                className={`order-status status-${order.status}`}
                title={
                  order.reason ?? `${STATUS_LABEL[order.status]} since ${formatTradeMoment(order.updatedAt)}`
                }
              >
                {STATUS_LABEL[order.status]}
                {order.reason !== null && !working ? (
                  <span className="order-reason">{order.reason}</span>
                ) : null}
                {problem !== undefined ? (
                  <span className="order-problem" role="alert">
                    {' '}
                    {problem}
                  </span>
                ) : null}
              </td>
              {working ? (
                <td className="blotter-cancel-cell">
                  <button
                    type="button"
                    className="blotter-cancel"
                    data-testid="blotter-cancel"
                    disabled={!canCancel(order)}
                    title={`Cancel this order (${order.clientOrderId})`}
                    onClick={() => onCancel(order)}
                  >
                    Cancel
                  </button>
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * A market time as "HH:MM:SS", dated "MM-DD HH:MM:SS" (the date muted) when not of the market's current
 * day (`now`), the whole moment in its tooltip.
 */
function TimeCell({ ms, now }: { ms: number; now: number | null }) {
  const { date, time } = blotterTime(ms, now);
  return (
    <td className="numeric" title={formatTradeMoment(ms)}>
      {date !== null ? <span className="trade-date">{date} </span> : null}
      {time}
    </td>
  );
}

function FillsTable({ fills, now }: { fills: readonly Fill[]; now: number | null }) {
  if (fills.length === 0) {
    return (
      <div className="trading-empty signals-muted" data-testid="fills" data-count={0}>
        No fills yet.
      </div>
    );
  }
  return (
    <table className="trading-table" data-testid="fills" data-count={fills.length}>
      <thead>
        <tr>
          <th>Time</th>
          <th>Symbol</th>
          <th>Fill</th>
          <th className="num">Price</th>
          <th className="num">Value</th>
          <th className="num">Fee</th>
        </tr>
      </thead>
      <tbody>
        {fills.map((fill) => (
          <tr key={fill.id} data-testid="fill-row" data-order-id={fill.orderId}>
            <TimeCell ms={fill.time} now={now} />
            <td className="trading-symbol">{fill.symbol}</td>
            <td className={`side-${fill.side}`}>
              {fill.side === 'buy' ? 'Buy' : 'Sell'} {formatShares(fill.qty)}
            </td>
            <td className="num">{formatOrderPrice(fill.price)}</td>
            <td className="num">{formatMoney(fill.qty * fill.price)}</td>
            <td className="num">{formatMoney(fill.fee)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The trading panel under the charts: the account line in its header, then the order ticket, the
 * blotter (working orders, history, fills) and the positions side by side. It folds to its header
 * (remembered), which keeps the account line in view. While the engine offers no trading, each part
 * says so in the engine's words instead of showing empty lists. The header also holds strategy following
 * (Rebalance.tsx).
 */
import { useId } from 'react';
import { Blotter } from './Blotter';
import { OrderTicket } from './OrderTicket';
import { AccountLine, Positions } from './Positions';
import { Rebalance } from './Rebalance';
import { ticketBlocked, tradingUnavailable } from './trading-view';
import type { Trading } from './use-trading';

interface TradingPanelProps {
  trading: Trading;
  /** The chart's symbol, the ticket's default. */
  symbol: string | null;
  folded: boolean;
  onFold: (folded: boolean) => void;
}

export function TradingPanel({ trading, symbol, folded, onFold }: TradingPanelProps) {
  const titleId = useId();
  const unavailable = tradingUnavailable(trading);
  const status = trading.status.value;
  const blocked = ticketBlocked(trading);
  const portfolio = trading.portfolio.value;
  return (
    <section
      className={`trading-panel${folded ? ' trading-folded' : ''}`}
      aria-labelledby={titleId}
      data-testid="trading-panel"
      data-folded={folded}
      data-available={unavailable === null}
    >
      <header className="trading-header">
        <button
          type="button"
          className="news-fold"
          aria-label={folded ? 'Show the trading panel' : 'Hide the trading panel'}
          title={folded ? 'Show the trading panel' : 'Hide the trading panel'}
          data-testid="trading-fold"
          onClick={() => onFold(!folded)}
        >
          {folded ? '˄' : '˅'}
        </button>
        <h2 id={titleId} title={status?.account}>
          Trading
        </h2>
        {status !== null && !status.connected ? (
          <span className="trading-warn" title={status.message ?? undefined}>
            broker not connected
          </span>
        ) : null}
        {unavailable === null ? (
          <AccountLine account={portfolio?.account ?? null} time={portfolio?.time ?? null} />
        ) : folded ? (
          <span className="trading-unavailable-line" title={unavailable}>
            {unavailable}
          </span>
        ) : null}
        <span className="top-bar-spacer" />
        {status !== null ? (
          <Rebalance
            client={trading.client}
            positions={portfolio?.positions ?? null}
            status={status}
            onStatus={trading.setStatus}
          />
        ) : null}
      </header>
      {status?.message ? (
        <div className="trading-note" role="status" data-testid="trading-message">
          {status.message}
        </div>
      ) : null}
      {folded ? null : unavailable !== null ? (
        // Said once, where the ticket, blotter and positions would be.
        <div
          className="trading-body trading-body-unavailable"
          role="status"
          data-testid="trading-unavailable"
        >
          <strong>{unavailable}</strong>
          <span className="signals-muted">
            The order ticket, the blotter and the positions show here once the engine offers trading.
          </span>
        </div>
      ) : (
        <div className="trading-body">
          <OrderTicket
            client={trading.client}
            chartSymbol={symbol}
            blocked={blocked}
            orders={trading.blotter.orders}
          />
          <Blotter
            client={trading.client}
            blotter={trading.blotter}
            unavailable={unavailable}
            now={portfolio?.time ?? null}
          />
          <Positions portfolio={portfolio} unavailable={unavailable} />
        </div>
      )}
    </section>
  );
}

/**
 * The trading panel under the charts: the account line in its header, then the order ticket, the
 * blotter (working orders, history, fills) and the positions side by side. It folds to its header
 * (remembered), which keeps the account line in view. While the engine offers no trading, each part
 * says so in the engine's words instead of showing empty lists.
 */
import { useId, type ReactNode } from 'react';
import { Blotter } from './Blotter';
import { OrderTicket } from './OrderTicket';
import { AccountLine, Positions } from './Positions';
import type { Trading } from './use-trading';

interface TradingPanelProps {
  trading: Trading;
  /** The chart's symbol, the ticket's default. */
  symbol: string | null;
  folded: boolean;
  onFold: (folded: boolean) => void;
  /** More controls for the header (strategy rebalancing). */
  extra?: ReactNode;
}

/** Why the trading parts cannot show anything: trading is not available, or the link is down. */
export function tradingUnavailable(trading: Trading): string | null {
  if (trading.status.value !== null) return null;
  if (trading.status.error !== null) return trading.status.error;
  return trading.offline ? 'Not connected to the engine.' : null;
}

export function TradingPanel({ trading, symbol, folded, onFold, extra = null }: TradingPanelProps) {
  const titleId = useId();
  const unavailable = tradingUnavailable(trading);
  const status = trading.status.value;
  const blocked =
    unavailable ??
    (trading.offline
      ? 'Not connected to the engine: orders go out once it is back.'
      : status?.broker === 'live' && !status.liveArmed
        ? 'Live trading is not armed: arm it in the top bar first.'
        : null);
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
        <h2 id={titleId}>Trading</h2>
        {status !== null ? (
          <span className="trading-account signals-muted" title={status.message ?? status.account}>
            {status.account}
            {!status.connected ? <span className="trading-warn"> · broker not connected</span> : null}
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
        {extra}
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
          <OrderTicket client={trading.client} chartSymbol={symbol} blocked={blocked} />
          <Blotter client={trading.client} blotter={trading.blotter} unavailable={unavailable} />
          <Positions portfolio={portfolio} unavailable={unavailable} />
        </div>
      )}
    </section>
  );
}

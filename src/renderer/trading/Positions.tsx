/**
 * Positions with P&L (symbol, shares, average price, last, unrealised, realised; flat symbols keep their
 * realised P&L at the bottom) and the account line of the trading panel's header: equity, cash, the day's
 * P&L and gross exposure (the unrealised total is the positions' column). Signed amounts are coloured by sign; all figures are tabular.
 */
import type { Account, PortfolioSnapshot } from '../../shared/domain';
import { positionRows } from './trading-view';
import {
  formatMoney,
  formatOrderPrice,
  formatPnl,
  formatShares,
  formatTradeMoment,
  signTone,
} from './trading-format';

function Signed({ value, testId }: { value: number | null; testId?: string }) {
  return (
    <span className="numeric" data-tone={signTone(value)} data-testid={testId} data-value={value ?? ''}>
      {formatPnl(value)}
    </span>
  );
}

/** The account line: equity, cash, day P&L, gross exposure. */
export function AccountLine({ account, time }: { account: Account | null; time: number | null }) {
  return (
    <div
      className="account-line"
      data-testid="account-line"
      title={time !== null ? `Marked at ${formatTradeMoment(time)}` : undefined}
    >
      <span className="account-item">
        <span className="account-label">Equity</span>
        <span
          className="numeric account-strong"
          data-testid="account-equity"
          data-value={account?.equity ?? ''}
        >
          {formatMoney(account?.equity)}
        </span>
      </span>
      <span className="account-item">
        <span className="account-label">Cash</span>
        <span className="numeric" data-testid="account-cash">
          {formatMoney(account?.cash)}
        </span>
      </span>
      <span className="account-item">
        <span className="account-label">Day P&amp;L</span>
        <Signed value={account?.dayPnl ?? null} testId="account-day-pnl" />
      </span>
      <span className="account-item">
        <span className="account-label">Gross</span>
        <span className="numeric" data-testid="account-gross" title="Gross exposure: Σ |shares × last price|">
          {formatMoney(account?.grossExposure)}
        </span>
      </span>
    </div>
  );
}

export function Positions({
  portfolio,
  unavailable,
}: {
  portfolio: PortfolioSnapshot | null;
  unavailable: string | null;
}) {
  const rows = portfolio !== null ? positionRows(portfolio.positions) : [];
  return (
    <section className="positions" data-testid="positions" aria-label="Positions">
      <h3 className="trading-subhead">Positions</h3>
      {unavailable !== null ? (
        <div className="trading-unavailable" role="status">
          {unavailable}
        </div>
      ) : portfolio === null ? (
        <div className="trading-empty signals-muted">Loading positions…</div>
      ) : rows.length === 0 ? (
        <div className="trading-empty signals-muted">No positions. Place an order with the ticket.</div>
      ) : (
        <div className="trading-table-wrap">
          <table className="trading-table">
            <thead>
              <tr>
                <th>Symbol</th>
                <th className="num">Qty</th>
                <th className="num">Avg</th>
                <th className="num">Last</th>
                <th className="num" title="Unrealised P&L: (last − average price) × shares">
                  Unreal.
                </th>
                <th
                  className="num"
                  title="Realised P&L on this symbol since the account started, fees deducted"
                >
                  Realised
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((position) => (
                <tr
                  key={position.symbol}
                  data-testid="position-row"
                  data-symbol={position.symbol}
                  data-qty={position.qty}
                  className={position.qty === 0 ? 'position-flat' : undefined}
                >
                  <td className="trading-symbol">{position.symbol}</td>
                  <td className="num" data-tone={position.qty < 0 ? 'down' : undefined}>
                    {formatShares(position.qty)}
                  </td>
                  <td className="num">{position.qty !== 0 ? formatOrderPrice(position.avgPrice) : '—'}</td>
                  <td className="num">{formatOrderPrice(position.marketPrice)}</td>
                  <td className="num">
                    <Signed value={position.qty !== 0 ? position.unrealizedPnl : null} />
                  </td>
                  <td className="num">
                    <Signed value={position.realizedPnl} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * Strategy following from the trading panel: "Rebalance to strategy" asks the engine for the rebalance
 * the current strategy wants (`strategy.plan`) and shows it before anything is sent: each symbol's shares
 * held, those its working orders will still trade (the plan counts them as held), the target, the order
 * that gets there and the risk engine's verdict on it (a refused line says why), then what stays in cash.
 * Confirm places the plan's orders (`strategy.rebalance`); a plan that went stale (the strategy or
 * positions moved) is refused by the engine, and the trader previews again. "Follow automatically" turns
 * following on or off (`strategy.setFollow`): in demo and replay its orders then go out without a
 * confirmation, so turning it on asks first (a small confirm saying what it does, like the kill switch's;
 * a stray click on the label places nothing); turning it off asks nothing.
 */
import { useRef, useState } from 'react';
import type { PlaceOrderResult, Position, RebalancePlan, TradingStatus } from '../../shared/domain';
import type { EngineClient } from '../../shared/rpc-client';
import { describeCallError } from '../signals/use-engine-call';
import { CallProblem, usePopoverDismiss } from './popover';
import { STRATEGY_STYLE } from '../signals/strategy-style';
import { rebalanceCash, rebalanceRows, rebalanceSummary } from './trading-view';
import { formatMoney, formatOrderPrice, formatShares, formatTradeMoment, MISSING } from './trading-format';

interface RebalanceProps {
  client: EngineClient;
  /** The positions now (the held shares the preview shows), or null before the portfolio came. */
  positions: readonly Position[] | null;
  status: TradingStatus;
  onStatus: (status: TradingStatus) => void;
}

type PlanState =
  | { kind: 'loading' }
  | { kind: 'plan'; plan: RebalancePlan }
  | { kind: 'error'; message: string }
  | { kind: 'placing'; plan: RebalancePlan }
  | { kind: 'done'; plan: RebalancePlan; results: readonly PlaceOrderResult[] };

export function Rebalance({ client, positions, status, onStatus }: RebalanceProps) {
  const [open, setOpen] = useState(false);
  const [plan, setPlan] = useState<PlanState>({ kind: 'loading' });
  const [followProblem, setFollowProblem] = useState<string | null>(null);
  const [confirmingFollow, setConfirmingFollow] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  usePopoverDismiss(open, setOpen);
  usePopoverDismiss(confirmingFollow, setConfirmingFollow);

  const preview = (): void => {
    setOpen(true);
    setConfirmingFollow(false);
    setPlan({ kind: 'loading' });
    client.call('strategy.plan', {}).then(
      (value) => setPlan({ kind: 'plan', plan: value }),
      (error: unknown) => setPlan({ kind: 'error', message: describeCallError(error) }),
    );
  };

  const confirm = (current: RebalancePlan): void => {
    setPlan({ kind: 'placing', plan: current });
    client.call('strategy.rebalance', { planId: current.id }).then(
      ({ results }) => setPlan({ kind: 'done', plan: current, results }),
      (error: unknown) => setPlan({ kind: 'error', message: describeCallError(error) }),
    );
  };

  const setFollow = (enabled: boolean): void => {
    setConfirmingFollow(false);
    setFollowProblem(null);
    client
      .call('strategy.setFollow', { enabled })
      .then(onStatus, (error: unknown) => setFollowProblem(describeCallError(error)));
  };

  const shown = plan.kind === 'plan' || plan.kind === 'placing' || plan.kind === 'done' ? plan.plan : null;
  const orders = shown?.lines.reduce((sum, line) => sum + line.orders.length, 0) ?? 0;

  return (
    <div className="rebalance-box" ref={ref}>
      <label
        className="rebalance-follow"
        title={
          status.following.automatic
            ? 'Follow the strategy: its rebalance orders go out by themselves at each new decision (demo and replay).'
            : 'Follow the strategy: each new decision’s rebalance waits for your confirmation.'
        }
      >
        <input
          type="checkbox"
          data-testid="follow-toggle"
          checked={status.following.enabled}
          aria-haspopup="dialog"
          onChange={(event) => {
            if (!event.target.checked) {
              setFollow(false);
              return;
            }
            // On only after the trader confirmed: from then on orders go out by themselves.
            setOpen(false);
            setConfirmingFollow(true);
          }}
        />{' '}
        Follow automatically
      </label>
      <CallProblem message={followProblem} />
      {confirmingFollow ? (
        <div
          className="rebalance-dialog follow-confirm"
          role="dialog"
          aria-label="Follow the strategy automatically"
          data-testid="follow-dialog"
        >
          <strong>Follow the strategy automatically?</strong>
          <div className="signals-muted">
            At each new decision the workstation places the orders that move the account to the strategy’s
            weights, within the risk limits, without asking you first. Turn it off here at any time.
          </div>
          <div className="kill-switch-actions">
            <button
              type="button"
              data-testid="follow-cancel"
              autoFocus
              onClick={() => setConfirmingFollow(false)}
            >
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              data-testid="follow-confirm"
              onClick={() => setFollow(true)}
            >
              Confirm
            </button>
          </div>
        </div>
      ) : null}
      <button
        type="button"
        data-testid="rebalance-open"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => (open ? setOpen(false) : preview())}
      >
        Rebalance to strategy…
      </button>
      {open ? (
        <div
          className="rebalance-dialog"
          role="dialog"
          aria-label="Rebalance to strategy"
          data-testid="rebalance-plan"
        >
          {plan.kind === 'loading' ? <div className="signals-muted">Asking the strategy…</div> : null}
          {plan.kind === 'error' ? (
            <div className="trading-unavailable" role="alert">
              {plan.message}
            </div>
          ) : null}
          {shown !== null ? (
            <>
              <div className="rebalance-title">
                Rebalance to <strong>{STRATEGY_STYLE[shown.strategy].name}</strong>
                <span className="signals-muted">
                  {' '}
                  · decision of {formatTradeMoment(shown.predictionTime)} · equity {formatMoney(shown.equity)}
                </span>
              </div>
              <div className="trading-table-wrap rebalance-lines">
                <table className="trading-table">
                  <thead>
                    <tr>
                      <th>Symbol</th>
                      <th className="num">Weight</th>
                      <th className="num" title="Shares in the position now">
                        Held
                      </th>
                      <th
                        className="num"
                        title="Shares the working orders will still buy (+) or sell (−): the plan counts them as held"
                      >
                        Working
                      </th>
                      <th className="num">Target</th>
                      <th className="num">Price</th>
                      <th>Order</th>
                      <th>Risk check</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rebalanceRows(shown.lines, positions).map((row) => (
                      <tr key={row.symbol} data-testid="rebalance-line" data-symbol={row.symbol}>
                        <td className="trading-symbol">{row.symbol}</td>
                        <td className="num">{(row.weight * 100).toFixed(1)} %</td>
                        <td className="num">{row.held === null ? MISSING : formatShares(row.held)}</td>
                        <td className="num signals-muted">
                          {row.working === 0
                            ? ''
                            : `${row.working > 0 ? '+' : ''}${formatShares(row.working)}`}
                        </td>
                        <td className="num">{formatShares(row.target)}</td>
                        <td className="num">{formatOrderPrice(row.price)}</td>
                        <td className={row.side !== null ? `side-${row.side}` : 'signals-muted'}>
                          {row.order}
                        </td>
                        <td className={`rebalance-check ${row.refused ? 'ticket-bad' : 'ticket-ok'}`}>
                          {row.check}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="signals-muted rebalance-cash" data-testid="rebalance-cash">
                {rebalanceCash(shown)}
              </div>
              {plan.kind === 'done' ? (
                <div className="ticket-result" role="status" data-testid="rebalance-result">
                  {rebalanceSummary(plan.results)}
                </div>
              ) : null}
            </>
          ) : null}
          <div className="kill-switch-actions">
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
            {plan.kind === 'done' || plan.kind === 'error' ? (
              <button type="button" onClick={preview}>
                Preview again
              </button>
            ) : (
              <button
                type="button"
                className="primary"
                data-testid="rebalance-confirm"
                disabled={plan.kind !== 'plan' || orders === 0}
                onClick={() => plan.kind === 'plan' && confirm(plan.plan)}
              >
                {plan.kind === 'placing'
                  ? 'Placing…'
                  : orders === 0 && plan.kind === 'plan'
                    ? 'Nothing to trade'
                    : `Confirm ${orders} order${orders === 1 ? '' : 's'}`}
              </button>
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
}

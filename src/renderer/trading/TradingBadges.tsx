/**
 * The top bar's trading badges: the trading state (ACTIVE / REDUCING / HALTED, why on hover) and, in
 * live mode, the red live badge: "LIVE — not armed" with an Arm button that opens a dialog where the
 * trader types LIVE_ARM_CONFIRMATION, or "LIVE — ARMED" with a Disarm button.
 */
import { useId, useRef, useState } from 'react';
import { LIVE_ARM_CONFIRMATION, type TradingStatus } from '../../shared/domain';
import type { EngineClient } from '../../shared/rpc-client';
import { describeCallError } from '../signals/use-engine-call';
import { CallProblem, usePopoverDismiss } from './popover';
import { liveArmLabel, STATE_LABEL, stateTitle } from './trading-format';

interface BadgeProps {
  client: EngineClient;
  status: TradingStatus | null;
  unavailable: string | null;
  onStatus: (status: TradingStatus) => void;
}

export function TradingBadges({ client, status, unavailable, onStatus }: BadgeProps) {
  return (
    <>
      <span
        className={`trading-state trading-state-${status?.tradingState ?? 'unknown'}`}
        data-testid="trading-state"
        data-state={status?.tradingState ?? ''}
        title={status !== null ? stateTitle(status) : (unavailable ?? 'Trading status not known yet')}
      >
        {status !== null ? STATE_LABEL[status.tradingState] : 'NO TRADING'}
      </span>
      {status?.broker === 'live' ? <LiveArm client={client} status={status} onStatus={onStatus} /> : null}
    </>
  );
}

function LiveArm({
  client,
  status,
  onStatus,
}: {
  client: EngineClient;
  status: TradingStatus;
  onStatus: (status: TradingStatus) => void;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const inputId = useId();

  usePopoverDismiss(open, setOpen);

  const settle = (promise: Promise<TradingStatus>): void => {
    setBusy(true);
    setProblem(null);
    promise.then(
      (next) => {
        setBusy(false);
        setOpen(false);
        setTyped('');
        onStatus(next);
      },
      (error: unknown) => {
        setBusy(false);
        setProblem(describeCallError(error));
      },
    );
  };

  return (
    <div className="live-arm-box" ref={ref}>
      <span
        className={`live-badge${status.liveArmed ? ' live-armed' : ''}`}
        data-testid="live-badge"
        data-armed={status.liveArmed}
        title={
          status.liveArmed
            ? `Orders go to your real-money account (${status.account}). Live trading disarms on every restart.`
            : 'Live account: no order goes out until you arm live trading.'
        }
      >
        {liveArmLabel(status)}
      </span>
      {status.liveArmed ? (
        <button
          type="button"
          className="live-disarm"
          data-testid="live-disarm"
          disabled={busy}
          onClick={() => settle(client.call('trading.disarmLive', {}))}
        >
          Disarm
        </button>
      ) : (
        <button
          type="button"
          className="live-arm"
          data-testid="live-arm"
          aria-expanded={open}
          aria-haspopup="dialog"
          onClick={() => setOpen((o) => !o)}
        >
          Arm…
        </button>
      )}
      {!open ? <CallProblem message={problem} /> : null}
      {open ? (
        <form
          className="live-arm-dialog"
          role="dialog"
          aria-label="Arm live trading"
          onSubmit={(event) => {
            event.preventDefault();
            if (typed === LIVE_ARM_CONFIRMATION)
              settle(client.call('trading.armLive', { confirmation: typed }));
          }}
        >
          <strong>Arm live trading</strong>
          <div>
            Orders will go to <b>{status.account}</b> with real money until you disarm or restart.
          </div>
          <label htmlFor={inputId}>
            Type <span className="command">{LIVE_ARM_CONFIRMATION}</span> to arm:
          </label>
          <input
            id={inputId}
            type="text"
            data-testid="live-arm-input"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
          <div className="kill-switch-actions">
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button
              type="submit"
              className="kill-switch-go"
              data-testid="live-arm-confirm"
              disabled={typed !== LIVE_ARM_CONFIRMATION || busy}
            >
              {busy ? 'Arming…' : 'Arm live trading'}
            </button>
          </div>
          <CallProblem message={problem} block />
        </form>
      ) : null}
    </div>
  );
}

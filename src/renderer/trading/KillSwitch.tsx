/**
 * The kill switch, always in the top bar. One click opens a small confirm (with "also flatten
 * positions"); confirming halts trading: the engine cancels every working order, flattens when asked and
 * refuses new orders. While halted it reads HALTED with a Resume button (the kill switch off).
 */
import { useRef, useState } from 'react';
import type { TradingStatus } from '../../shared/domain';
import type { EngineClient } from '../../shared/rpc-client';
import { describeCallError } from '../signals/use-engine-call';
import { CallProblem, usePopoverDismiss } from './popover';

interface KillSwitchProps {
  client: EngineClient;
  status: TradingStatus | null;
  /** Why trading is unavailable, or null. */
  unavailable: string | null;
  onStatus: (status: TradingStatus) => void;
}

export function KillSwitch({ client, status, unavailable, onStatus }: KillSwitchProps) {
  const [open, setOpen] = useState(false);
  const [flatten, setFlatten] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const halted = status?.tradingState === 'halted';

  // The confirm closes on Escape or a click elsewhere, like any popover.
  usePopoverDismiss(open, setOpen, ref);

  const send = (on: boolean, flattenToo: boolean): void => {
    setBusy(true);
    setProblem(null);
    client.call('trading.killSwitch', { on, flatten: flattenToo }).then(
      (next) => {
        setBusy(false);
        setOpen(false);
        setFlatten(false);
        onStatus(next);
      },
      (error: unknown) => {
        setBusy(false);
        setProblem(describeCallError(error));
      },
    );
  };

  if (halted) {
    return (
      <div className="kill-switch-box" ref={ref}>
        <button
          type="button"
          className="kill-switch kill-switch-halted"
          data-testid="kill-switch"
          data-state="halted"
          disabled={busy}
          title={`${status?.stateReason ?? 'Trading is halted by the kill switch.'} Click to resume trading.`}
          onClick={() => send(false, false)}
        >
          HALTED · Resume
        </button>
        <CallProblem message={problem} />
      </div>
    );
  }

  return (
    <div className="kill-switch-box" ref={ref}>
      <button
        type="button"
        className="kill-switch"
        data-testid="kill-switch"
        data-state={status?.tradingState ?? 'unknown'}
        aria-expanded={open}
        aria-haspopup="dialog"
        disabled={status === null}
        title={
          status === null
            ? (unavailable ?? 'Trading status not known yet')
            : 'Kill switch: halt trading, cancel every working order'
        }
        onClick={() => setOpen((o) => !o)}
      >
        Kill switch
      </button>
      {open ? (
        <div className="kill-switch-confirm" role="dialog" aria-label="Halt trading">
          <strong>Halt trading?</strong>
          <div className="signals-muted">
            Every working order is cancelled; new orders are refused until you resume.
          </div>
          <label className="kill-switch-flatten">
            <input
              type="checkbox"
              data-testid="kill-switch-flatten"
              checked={flatten}
              onChange={(event) => setFlatten(event.target.checked)}
            />{' '}
            also flatten positions (market orders)
          </label>
          <div className="kill-switch-actions">
            <button type="button" onClick={() => setOpen(false)}>
              Keep trading
            </button>
            <button
              type="button"
              className="kill-switch-go"
              data-testid="kill-switch-confirm"
              disabled={busy}
              autoFocus
              onClick={() => send(true, flatten)}
            >
              {busy ? 'Halting…' : flatten ? 'Halt and flatten' : 'Halt trading'}
            </button>
          </div>
          <CallProblem message={problem} block />
        </div>
      ) : null}
    </div>
  );
}

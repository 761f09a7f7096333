/**
 * The risk limits in Settings: the engine's limits (trading.status) in one field each, checked as the
 * trader types by the contract's schema (risk-limits-form.ts), saved with `trading.setLimits`. What the
 * engine refuses is shown in its words. The fields follow the engine's limits until the trader edits them.
 */
import { useId, useState, type FormEvent } from 'react';
import type { TradingStatus } from '../../shared/domain';
import type { EngineClient } from '../../shared/rpc-client';
import { describeCallError } from '../signals/use-engine-call';
import { LIMIT_FIELDS, LIMIT_LABEL, checkLimits, limitTexts, type LimitTexts } from './risk-limits-form';

interface RiskLimitsSettingsProps {
  client: EngineClient;
  status: TradingStatus | null;
  /** Why trading is unavailable (no broker, link down), or null. */
  unavailable: string | null;
  onStatus: (status: TradingStatus) => void;
}

export function RiskLimitsSettings({ client, status, unavailable, onStatus }: RiskLimitsSettingsProps) {
  const baseId = useId();
  // null: not edited, the engine's limits show.
  const [edited, setEdited] = useState<LimitTexts | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (status === null) {
    return <p className="panel-muted">{unavailable ?? 'Asking the engine for the risk limits…'}</p>;
  }
  const texts = edited ?? limitTexts(status.limits);
  const check = checkLimits(texts);
  const errors = check.ok ? {} : check.errors;

  const save = (event: FormEvent): void => {
    event.preventDefault();
    if (!check.ok || busy) return;
    setBusy(true);
    setNotice(null);
    setError(null);
    client
      .call('trading.setLimits', check.limits)
      .then(
        (next) => {
          onStatus(next);
          setEdited(null);
          setNotice('Limits saved: every order from now on is checked against them.');
        },
        (failure: unknown) => setError(`The engine kept the old limits: ${describeCallError(failure)}`),
      )
      .finally(() => setBusy(false));
  };

  return (
    <form className="settings-form" data-testid="limits-form" onSubmit={save} autoComplete="off">
      {LIMIT_FIELDS.map((field) => {
        const id = `${baseId}-${field}`;
        const problem = errors[field] ?? null;
        const { label, unit, rule } = LIMIT_LABEL[field];
        return (
          <div className="settings-field" key={field}>
            <label htmlFor={id} title={`Orders past it are refused naming ${rule}`}>
              {label}
            </label>
            <span className="settings-input">
              <input
                id={id}
                type="text"
                inputMode="decimal"
                data-testid={`limit-${field}`}
                value={texts[field]}
                aria-invalid={problem !== null}
                aria-describedby={`${id}-problem`}
                onChange={(event) => {
                  setNotice(null);
                  setEdited({ ...texts, [field]: event.target.value });
                }}
              />
              <span className="settings-unit">{unit}</span>
            </span>
            <span id={`${id}-problem`} className="field-problem" data-testid={`limit-${field}-problem`}>
              {problem ?? ''}
            </span>
          </div>
        );
      })}
      <div className="panel-actions">
        <button type="submit" className="primary" data-testid="limits-save" disabled={!check.ok || busy}>
          Save limits
        </button>
        <button
          type="button"
          data-testid="limits-reset"
          disabled={edited === null || busy}
          onClick={() => setEdited(null)}
        >
          Undo changes
        </button>
      </div>
      {notice !== null ? (
        <div className="panel-notice" role="status" data-testid="limits-notice">
          {notice}
        </div>
      ) : null}
      {error !== null ? (
        <div className="panel-error" role="alert" data-testid="limits-error">
          {error}
        </div>
      ) : null}
    </form>
  );
}

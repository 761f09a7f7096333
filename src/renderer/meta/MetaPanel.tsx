/**
 * The meta panel under the strategy panel: the meta-score of the symbol on screen (and of the strategy's
 * decision symbol when another is on screen), its four parts (micro, technical, sentiment, regime) as
 * signed bars with their values, or "—" and why a part is missing, the volatility regime now with the
 * next session's forecast, and the entry gate (OPEN, or CLOSED and why). The weights can be changed in
 * a small form (`signals.setMetaWeights`); what the engine refuses is shown as it says it. Live: the
 * engine pushes a new score when a part changes (`signals.metaChanged`).
 */
import { useId, useState, type FormEvent } from 'react';
import { DECISION_SYMBOL, META_COMPONENTS, type MetaScore, type MetaWeights } from '../../shared/domain';
import { useEngineClient } from '../engine/engine-context';
import { formatDecisionDate } from '../signals/format';
import { STRATEGY_STYLE } from '../signals/strategy-style';
import { describeCallError } from '../signals/use-engine-call';
import {
  COMPONENT_LABEL,
  COMPONENT_MISSING_TITLE,
  COMPONENT_TITLE,
  componentRows,
  formatVolatility,
  parseWeights,
  regimeRows,
  scoreText,
  weightTexts,
  type WeightTexts,
} from './meta-view';
import { useMeta } from './use-meta';
import { useFoldedFlag } from '../panels/use-folded-flag';

export function MetaPanel({ symbol, reloadKey }: { symbol: string | null; reloadKey: string }) {
  const titleId = useId();
  // Folded to its header line (score and gate), kept in the workspace: the strategy views below get the room.
  const [folded, setFolded] = useFoldedFlag('meta');
  const shown = symbol ?? DECISION_SYMBOL;
  const onScreen = useMeta(shown, reloadKey);
  const decision = useMeta(shown !== DECISION_SYMBOL ? DECISION_SYMBOL : null, reloadKey);
  const meta = onScreen.meta;
  return (
    <section
      className="meta-panel"
      aria-labelledby={titleId}
      data-testid="meta-panel"
      data-symbol={shown}
      data-folded={folded ? 'true' : 'false'}
    >
      <header className="meta-header">
        <button
          type="button"
          className="meta-fold"
          data-testid="meta-fold"
          aria-expanded={!folded}
          aria-label={folded ? 'Show the meta-score’s parts' : 'Fold the meta-score to one line'}
          title={folded ? 'Show the meta-score’s parts' : 'Fold the meta-score to one line'}
          onClick={() => setFolded(!folded)}
        >
          {folded ? '▸' : '▾'}
        </button>
        <h2 id={titleId}>Meta-score</h2>
        <span className="meta-symbol">{shown}</span>
        {meta !== null ? (
          <span
            className="meta-score numeric"
            data-testid="meta-score"
            data-sign={
              meta.score === null
                ? 'none'
                : meta.score > 0
                  ? 'positive'
                  : meta.score < 0
                    ? 'negative'
                    : 'none'
            }
            title="Weighted mean of the parts present, −1 (against new long risk) to +1 (for it)"
          >
            {scoreText(meta)}
          </span>
        ) : null}
        {folded && meta !== null ? (
          <span
            className="meta-gate-mini"
            data-testid="meta-gate"
            data-open={meta.gate.open ? 'true' : 'false'}
            title={meta.gate.reason ?? 'Entry gate open'}
          >
            {meta.gate.open ? 'OPEN' : 'CLOSED'}
          </span>
        ) : null}
      </header>
      {folded ? null : meta === null ? (
        <div className="signals-muted" role="status" data-testid="meta-message">
          {onScreen.error ?? (onScreen.loading ? 'Loading the meta-score…' : 'No meta-score yet.')}
        </div>
      ) : (
        <>
          <Gate meta={meta} />
          {meta.decision ? <GatedDecision decision={meta.decision} /> : null}
          <Components meta={meta} />
          <RegimeLine meta={meta} />
          {decision.meta !== null ? <DecisionLine meta={decision.meta} /> : null}
          {onScreen.error !== null ? (
            <div className="signals-muted" role="status">
              Updates do not arrive: {onScreen.error}
            </div>
          ) : null}
          <WeightsForm weights={meta.weights} />
        </>
      )}
    </section>
  );
}

function Gate({ meta }: { meta: MetaScore }) {
  const { gate } = meta;
  return (
    <div
      className="meta-gate"
      data-testid="meta-gate"
      data-open={gate.open ? 'true' : 'false'}
      title="Entry gate: whether new risk may be entered now"
    >
      <span className="meta-gate-state">Entry {gate.open ? 'OPEN' : 'CLOSED'}</span>
      {!gate.open && gate.reason !== null ? <span className="meta-gate-reason">{gate.reason}</span> : null}
    </div>
  );
}

/** The strategy layer's latest decision under the gate: what it holds, and what the gate held back. */
function GatedDecision({ decision }: { decision: NonNullable<MetaScore['decision']> }) {
  const held = STRATEGY_STYLE[decision.strategy].name;
  const proposed = STRATEGY_STYLE[decision.proposed].name;
  return (
    <div
      className="meta-decision"
      data-testid="meta-gate-decision"
      data-held={decision.held ? 'true' : 'false'}
      data-strategy={decision.strategy}
    >
      {decision.held ? (
        <>
          <strong className="meta-held">Gate closed: holding {held}</strong> instead of {proposed}
          {decision.reason !== null ? ` — ${decision.reason}` : ''}
        </>
      ) : (
        <>
          Decision of {formatDecisionDate(decision.barStart)}: <strong>{held}</strong> (not gated)
        </>
      )}
    </div>
  );
}

function Components({ meta }: { meta: MetaScore }) {
  return (
    <ul className="meta-components" data-testid="meta-components" aria-label="Parts of the meta-score">
      {componentRows(meta).map((row) => (
        <li
          key={row.id}
          className="meta-component"
          data-component={row.id}
          data-missing={row.missing !== null ? 'true' : 'false'}
          title={`${COMPONENT_TITLE[row.id]}; weight ${row.weight}${row.missing !== null ? `; missing: ${COMPONENT_MISSING_TITLE[row.id]}` : ''}`}
        >
          <span className="meta-component-name">{row.label}</span>
          <span className="meta-bar" aria-hidden="true">
            <span
              className={`meta-bar-fill meta-bar-${row.side}`}
              style={
                row.side === 'negative'
                  ? { right: '50%', width: `${row.widthPct}%` }
                  : { left: '50%', width: `${row.widthPct}%` }
              }
            />
          </span>
          <span className="meta-component-value numeric">{row.text}</span>
          <span className="meta-component-why signals-muted">
            {row.missing !== null ? row.missing : `w ${row.weight}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

function RegimeLine({ meta }: { meta: MetaScore }) {
  const regime = meta.regime;
  if (regime === null) {
    return (
      <div className="meta-regime signals-muted" data-testid="meta-regime" data-regime="none">
        Regime: — (too few daily bars for a forecast)
      </div>
    );
  }
  return (
    <div className="meta-regime" data-testid="meta-regime" data-regime={regime.current}>
      <span title="Volatility regime of the latest daily bar, from its annualised realised volatility">
        Regime <strong data-regime-name={regime.current}>{regime.current}</strong>{' '}
        <span className="signals-muted">vol {formatVolatility(regime.volatility)}</span>
      </span>
      <span
        className="meta-regime-next"
        title={`Next session: forecast volatility ${formatVolatility(regime.forecastVolatility)}`}
      >
        next:{' '}
        {regimeRows(regime).map((row) => (
          <span
            key={row.id}
            className={`meta-regime-p${row.likeliest ? ' meta-regime-likeliest' : ''}`}
            data-regime-next={row.id}
          >
            {row.label} {row.pct}
          </span>
        ))}
      </span>
    </div>
  );
}

/** The decision symbol's score and gate, when another symbol is on screen (the strategy trades on it). */
function DecisionLine({ meta }: { meta: MetaScore }) {
  return (
    <div className="meta-decision signals-muted" data-testid="meta-decision">
      Strategy ({meta.symbol}): {scoreText(meta)} · entry {meta.gate.open ? 'open' : 'closed'}
      {!meta.gate.open && meta.gate.reason !== null ? ` — ${meta.gate.reason}` : ''}
      {meta.decision ? <GatedDecision decision={meta.decision} /> : null}
    </div>
  );
}

function WeightsForm({ weights }: { weights: MetaWeights }) {
  const client = useEngineClient();
  const [open, setOpen] = useState(false);
  // What the trader typed; null while not editing: the form shows the weights in force.
  const [edits, setEdits] = useState<WeightTexts | null>(null);
  const texts = edits ?? weightTexts(weights);
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<{ fields: Partial<WeightTexts>; overall: string | null }>({
    fields: {},
    overall: null,
  });
  const [saved, setSaved] = useState(false);
  const formId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseWeights(texts);
    if (!('weights' in parsed)) {
      setProblems(parsed);
      return;
    }
    setProblems({ fields: {}, overall: null });
    setSaving(true);
    client.call('signals.setMetaWeights', parsed.weights).then(
      (inForce) => {
        setSaving(false);
        // The engine's answer is what is in force (the score's next push says the same).
        setEdits(weightTexts(inForce));
        setSaved(true);
      },
      (error: unknown) => {
        setSaving(false);
        setProblems({ fields: {}, overall: describeCallError(error) });
      },
    );
  };

  return (
    <div className="meta-weights" data-testid="meta-weights">
      <button
        type="button"
        className="signals-link"
        aria-expanded={open}
        aria-controls={formId}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide weights' : 'Weights…'}
      </button>
      {open ? (
        <form id={formId} className="meta-weights-form" onSubmit={submit} noValidate>
          {META_COMPONENTS.map((id) => (
            <label key={id} className="meta-weight">
              <span>{COMPONENT_LABEL[id]}</span>
              <input
                inputMode="decimal"
                data-testid={`meta-weight-${id}`}
                value={texts[id]}
                aria-invalid={problems.fields[id] !== undefined}
                onChange={(event) => {
                  setEdits({ ...texts, [id]: event.target.value });
                  setSaved(false);
                }}
              />
            </label>
          ))}
          <button type="submit" data-testid="meta-weights-save" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          {Object.values(problems.fields).length > 0 || problems.overall !== null ? (
            <ul className="meta-weights-problems" role="alert" data-testid="meta-weights-problem">
              {[
                ...Object.values(problems.fields),
                ...(problems.overall !== null ? [problems.overall] : []),
              ].map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          ) : saved ? (
            <span className="signals-muted" role="status">
              Saved; the score is recomputed with them.
            </span>
          ) : (
            <span className="signals-muted">Each 0 to 1; the score renormalises over the parts present.</span>
          )}
        </form>
      ) : null}
    </div>
  );
}

/**
 * The strategy panel: the running model, the eight strategies' probabilities for the prediction on
 * show (the latest, or the one the trader picked) with the pick highlighted, the model's confidence in
 * its pick, and the history of picks as a strip and a list. With no model it says so, in the engine's
 * words, instead of an empty chart or a spinner.
 */
import { useEffect, useId, useRef } from 'react';
import type { ModelInfo, Prediction } from '../../shared/domain';
import { ModelOverlayToggles } from '../overlays/ModelOverlayToggles';
import { formatDecisionDate, formatPercent, isoSessionDate } from './format';
import { habitualPick, historyStrip } from './prediction-history';
import { pickProbability, probabilityRows } from './probability-bars';
import { STRATEGY_STYLE } from './strategy-style';
import type { Signals } from './use-signals';

/** The words under the confidence figure (the halting head's meaning, shared/domain/signals.ts). */
export const CONFIDENCE_NOTE = 'model’s confidence its pick is right — not a chance of profit';

export function StrategyPanel({ signals }: { signals: Signals }) {
  const { model, predictions, shown } = signals;
  const titleId = useId();
  // Said once, in the engine's words; the rest of the panel then has nothing to add.
  const noModel = model.known && model.model === null;
  return (
    <section className="signals-strategy" aria-labelledby={titleId} data-testid="signals-strategy">
      <header className="signals-header">
        <h2 id={titleId}>Strategy</h2>
        <ModelLine model={model.model} />
        <button
          type="button"
          className="signals-fold"
          aria-label="Hide the strategy column"
          title="Hide the strategy column"
          onClick={() => signals.setFolded(true)}
        >
          ›
        </button>
      </header>
      <ModelOverlayToggles />
      {noModel ? (
        <div className="signals-unavailable" role="status" data-testid="signals-no-model">
          <strong>{model.message ?? 'No strategy model runs.'}</strong>
          <div className="signals-muted">
            Probabilities, chart markers, the why view and the scorecard appear once the engine runs a model.
          </div>
        </div>
      ) : null}
      {shown !== null ? (
        <Decision
          prediction={shown}
          picked={signals.selected !== null}
          onLatest={() => signals.select(null)}
        />
      ) : noModel ? null : (
        <NoPrediction loading={predictions.loading} error={predictions.error} />
      )}
      {predictions.liveError !== null && !noModel ? (
        <div className="signals-muted" role="status">
          New predictions do not arrive: {predictions.liveError}
        </div>
      ) : null}
      {predictions.predictions.length > 0 ? <History signals={signals} /> : null}
    </section>
  );
}

function ModelLine({ model }: { model: ModelInfo | null }) {
  if (model === null) return <span className="signals-model signals-muted">no model</span>;
  return (
    <span
      className="signals-model"
      data-testid="signals-model"
      title={`Trained on daily bars ${model.trainedFrom} to ${model.trainedTo}; ${model.steps} supervision steps of ${model.cycles} cycles × ${model.latentSteps} latent updates; width ${model.width}; label horizon ${model.horizon} sessions`}
    >
      {model.version} · {model.provider.toUpperCase()}
    </span>
  );
}

function NoPrediction({ loading, error }: { loading: boolean; error: string | null }) {
  if (error !== null) {
    return (
      <div className="signals-unavailable" role="status">
        {error}
      </div>
    );
  }
  return (
    <p className="signals-muted">
      {loading
        ? 'Loading predictions…'
        : 'No prediction yet: the model makes one at the close of each daily bar.'}
    </p>
  );
}

function Decision({
  prediction,
  picked,
  onLatest,
}: {
  prediction: Prediction;
  picked: boolean;
  onLatest: () => void;
}) {
  const rows = probabilityRows(prediction.probabilities, prediction.strategy);
  const pick = STRATEGY_STYLE[prediction.strategy];
  const barsLabel = useId();
  return (
    <div className="signals-decision" data-testid="signals-decision" data-bar-start={prediction.barStart}>
      <div className="signals-decision-line">
        <span>
          {picked ? 'Picked decision' : 'Latest decision'}:{' '}
          <time dateTime={isoSessionDate(prediction.barStart)}>
            {formatDecisionDate(prediction.barStart)}
          </time>
        </span>
        {picked ? (
          <button type="button" className="signals-link" onClick={onLatest}>
            Back to latest
          </button>
        ) : null}
      </div>
      <div className="signals-pick" data-testid="signals-pick" data-strategy={prediction.strategy}>
        <span className="signals-swatch" style={{ background: pick.color }} aria-hidden="true" />
        <span className="signals-pick-name">{pick.name}</span>
      </div>
      <div className="signals-confidence" data-testid="signals-confidence">
        <span className="signals-confidence-value">{formatPercent(prediction.haltProbability, 0)}</span>
        <span className="signals-confidence-note">{CONFIDENCE_NOTE}</span>
      </div>
      <ul className="signals-bars" aria-labelledby={barsLabel} data-testid="signals-probabilities">
        <li className="visually-hidden" id={barsLabel}>
          Probability of each strategy
        </li>
        {rows.map((row) => {
          const style = STRATEGY_STYLE[row.id];
          return (
            <li
              key={row.id}
              className={`signals-bar-row${row.pick ? ' signals-bar-pick' : ''}`}
              data-strategy={row.id}
              aria-current={row.pick ? 'true' : undefined}
            >
              <span className="signals-bar-name" title={style.name}>
                {style.name}
              </span>
              <span className="signals-bar-track" aria-hidden="true">
                <span
                  className="signals-bar-fill"
                  style={{ width: `${row.widthPct}%`, background: style.color }}
                />
              </span>
              <span className="signals-bar-value numeric">{formatPercent(row.probability)}</span>
            </li>
          );
        })}
      </ul>
      {prediction.imputed > 0 ? (
        <div className="signals-muted" data-testid="signals-imputed">
          {prediction.imputed === 1 ? '1 input was' : `${prediction.imputed} inputs were`} missing and fed as
          the training mean (see Features).
        </div>
      ) : null}
    </div>
  );
}

/**
 * One line when the model picks the same strategy almost every day, so the panel does not look stuck: it is
 * what the model does (the shipped one on 99.9 % of its own training days), not a fault of the screen.
 */
function Habit({ list }: { list: readonly Prediction[] }) {
  const habit = habitualPick(list);
  if (habit === null) return null;
  return (
    <div className="signals-muted signals-habit" data-testid="signals-habit">
      {STRATEGY_STYLE[habit.strategy].name} on {habit.count} of these {habit.total} days: this model seldom
      changes its pick (see the README, “The strategy model”); a retrained one may differ.
    </div>
  );
}

const STRIP_WIDTH = 300;
const STRIP_HEIGHT = 22;

function History({ signals }: { signals: Signals }) {
  const list = signals.predictions.predictions;
  const shownBar = signals.shown?.barStart ?? null;
  const cells = historyStrip(list, STRIP_WIDTH, STRIP_HEIGHT);
  const newestFirst = [...list].reverse();
  const headingId = useId();
  const listRef = useRef<HTMLOListElement>(null);
  // The prediction on show (picked on a chart, say) is scrolled into the list's view, the list only.
  useEffect(() => {
    const listElement = listRef.current;
    const row = listElement?.querySelector<HTMLElement>('[aria-pressed="true"]');
    if (!listElement || !row) return;
    const top = row.offsetTop;
    if (
      top < listElement.scrollTop ||
      top + row.offsetHeight > listElement.scrollTop + listElement.clientHeight
    ) {
      listElement.scrollTop = top - (listElement.clientHeight - row.offsetHeight) / 2;
    }
  }, [shownBar]);
  return (
    <div className="signals-history" data-testid="signals-history">
      <h3 id={headingId}>
        History <span className="signals-muted">({list.length})</span>
      </h3>
      <Habit list={list} />
      <svg
        className="signals-strip"
        viewBox={`0 0 ${STRIP_WIDTH} ${STRIP_HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Picks of the last ${cells.length} decisions, coloured by strategy, as tall as the pick’s probability`}
      >
        {cells.map((cell) => (
          <rect
            key={cell.barStart}
            x={cell.x}
            y={STRIP_HEIGHT - cell.height}
            width={Math.max(0.5, cell.width - 0.5)}
            height={cell.height}
            fill={cell.color}
            opacity={cell.barStart === shownBar ? 1 : 0.75}
          />
        ))}
      </svg>
      <div className="signals-history-head" aria-hidden="true">
        <span>Session</span>
        <span />
        <span>Pick</span>
        <span className="numeric">Prob.</span>
        <span className="numeric">Conf.</span>
      </div>
      <ol className="signals-history-list" aria-labelledby={headingId} ref={listRef}>
        {newestFirst.map((p) => {
          const style = STRATEGY_STYLE[p.strategy];
          return (
            <li key={p.barStart}>
              <button
                type="button"
                className="signals-history-row"
                aria-pressed={p.barStart === shownBar}
                data-bar-start={p.barStart}
                title={`Why ${style.name} on ${formatDecisionDate(p.barStart)}`}
                onClick={() => {
                  signals.select(p.barStart);
                  signals.setTab('why');
                }}
              >
                <span className="signals-history-date numeric">{isoSessionDate(p.barStart)}</span>
                <span className="signals-swatch" style={{ background: style.color }} aria-hidden="true" />
                <span className="signals-history-name">{style.name}</span>
                <span className="numeric" title="Probability of the pick">
                  {formatPercent(pickProbability(p.probabilities, p.strategy), 0)}
                </span>
                <span className="numeric signals-muted" title="Model’s confidence its pick is right">
                  {formatPercent(p.haltProbability, 0)}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

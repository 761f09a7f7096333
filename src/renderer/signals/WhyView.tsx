/**
 * Why the model said what it said, for the prediction on show: its answer after each recursion cycle
 * (rows = supervision step · cycle, columns = the eight strategies, darker = more probable, the cycle's
 * top answer outlined) and each input feature's contribution by occlusion (the feature set to its
 * training mean; how much the pick's probability falls), as signed bars.
 */
import type { FeatureStream, Prediction, PredictionExplanation } from '../../shared/domain';
import { formatDecisionDate, formatPercent, formatPoints, formatZ } from './format';
import { contributionBars, heatOpacity, topIndex } from './probability-bars';
import { STRATEGY_ROWS, STRATEGY_STYLE } from './strategy-style';
import type { CallState } from './use-engine-call';

interface WhyViewProps {
  prediction: Prediction | null;
  explanation: CallState<PredictionExplanation>;
  streams: readonly FeatureStream[] | null;
}

export function WhyView({ prediction, explanation, streams }: WhyViewProps) {
  if (prediction === null) {
    return (
      <p className="signals-muted">
        No prediction to explain yet. Each prediction in the history, and each marker on a daily chart, opens
        here with one click.
      </p>
    );
  }
  const value = explanation.value?.barStart === prediction.barStart ? explanation.value : null;
  const pick = STRATEGY_STYLE[prediction.strategy];
  return (
    <div className="signals-why" data-testid="signals-why" data-bar-start={prediction.barStart}>
      <p className="signals-lead">
        Why <strong style={{ color: pick.color }}>{pick.name}</strong> on{' '}
        {formatDecisionDate(prediction.barStart)}
      </p>
      {explanation.error !== null ? (
        <div className="signals-unavailable" role="status">
          {explanation.error}
        </div>
      ) : value === null ? (
        <p className="signals-muted">
          {explanation.offline ? 'Waiting for the engine…' : 'Asking the model…'}
        </p>
      ) : (
        <>
          <CycleTable explanation={value} />
          <Contributions explanation={value} streams={streams} />
        </>
      )}
    </div>
  );
}

function CycleTable({ explanation }: { explanation: PredictionExplanation }) {
  const { cycles } = explanation;
  if (cycles.length === 0)
    return <p className="signals-muted">The model reported no intermediate answers.</p>;
  return (
    <figure className="signals-figure">
      <figcaption>
        Answer after each recursion cycle{' '}
        <span className="signals-muted">(darker = more probable; outlined = that cycle’s top answer)</span>
      </figcaption>
      <div className="signals-cycles-scroll">
        <table className="signals-cycles" data-testid="signals-cycles">
          <thead>
            <tr>
              <th scope="col" title="Supervision step · cycle within it">
                Step
              </th>
              {STRATEGY_ROWS.map((s) => (
                <th key={s.id} scope="col" title={s.name}>
                  <abbr title={s.name}>{s.short}</abbr>
                </th>
              ))}
              <th scope="col" title="The model’s confidence its answer is right at this cycle (halting head)">
                Conf.
              </th>
            </tr>
          </thead>
          <tbody>
            {cycles.map((c) => {
              const top = topIndex(c.probabilities);
              return (
                <tr key={`${c.step}.${c.cycle}`}>
                  <th scope="row" className="numeric">
                    {c.step}·{c.cycle}
                  </th>
                  {STRATEGY_ROWS.map((s, i) => {
                    const p = c.probabilities[i] ?? 0;
                    return (
                      <td
                        key={s.id}
                        className={i === top ? 'signals-cell-top' : undefined}
                        style={{ background: `rgba(88, 166, 255, ${heatOpacity(p).toFixed(3)})` }}
                        title={`Step ${c.step}, cycle ${c.cycle}: ${s.name} ${formatPercent(p)}`}
                      >
                        <span className="visually-hidden">{formatPercent(p)}</span>
                      </td>
                    );
                  })}
                  <td className="numeric">{formatPercent(c.haltProbability, 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

function Contributions({
  explanation,
  streams,
}: {
  explanation: PredictionExplanation;
  streams: readonly FeatureStream[] | null;
}) {
  const bars = contributionBars(explanation.contributions);
  const nameOf = (id: string): string => streams?.find((s) => s.id === id)?.name ?? id;
  const descriptionOf = (id: string): string | undefined => streams?.find((s) => s.id === id)?.description;
  return (
    <figure className="signals-figure">
      <figcaption>
        What moved the pick{' '}
        <span className="signals-muted">
          (the pick’s probability with each input as it was, minus with that input at its training mean: right
          = the input pushed toward the pick, left = away from it)
        </span>
      </figcaption>
      {bars.length === 0 ? (
        <p className="signals-muted">The model reported no contributions.</p>
      ) : (
        <ul className="signals-contributions" data-testid="signals-contributions">
          {bars.map((bar) => (
            <li
              key={bar.id}
              className="signals-contribution"
              data-feature={bar.id}
              data-direction={bar.direction}
            >
              <span className="signals-contribution-name" title={descriptionOf(bar.id)}>
                {nameOf(bar.id)}
              </span>
              <span className="signals-contribution-track" aria-hidden="true">
                <span
                  className={`signals-contribution-fill signals-${bar.direction}`}
                  style={{ width: `${bar.widthPct / 2}%` }}
                />
              </span>
              <span className="signals-contribution-value numeric" title={`z = ${formatZ(bar.z)}`}>
                {formatPoints(bar.delta)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

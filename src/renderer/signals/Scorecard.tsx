/**
 * The scorecard: how past predictions turned out (hit rate next to the majority rate), how well the
 * model's confidence matches its hit rate (calibration), and the equity of following the model next
 * to the baselines, with their metrics. Every number is the engine's; the window only draws them.
 */
import type { ReactNode } from 'react';
import type { PerformanceMetrics, Scorecard as ScorecardData } from '../../shared/domain';
import { CALIBRATION_FRAME, calibrationGeometry } from './calibration-chart';
import { EQUITY_FRAME, equityGeometry } from './equity-chart';
import { METRIC_COLUMNS, formatMetric, formatPercent, isoSessionDate } from './format';
import { MODEL_COLOR, STRATEGY_STYLE, baselineColor, baselineName } from './strategy-style';
import type { CallState } from './use-engine-call';

export function Scorecard({ scorecard }: { scorecard: CallState<ScorecardData> }) {
  if (scorecard.error !== null) {
    return (
      <div className="signals-unavailable" role="status" data-testid="signals-scorecard-error">
        {scorecard.error}
      </div>
    );
  }
  const card = scorecard.value;
  if (card === null) {
    return (
      <p className="signals-muted">
        {scorecard.offline ? 'Waiting for the engine…' : 'Loading the scorecard…'}
      </p>
    );
  }
  return (
    <div className="signals-scorecard" data-testid="signals-scorecard">
      <Rates card={card} />
      {card.scored > 0 ? <Calibration bins={card.calibration} /> : null}
      <Equity card={card} />
      {card.metrics.model !== null || Object.values(card.metrics.baselines).some((m) => m !== null) ? (
        <MetricsTable
          rows={[
            { id: 'model', name: 'Model', color: MODEL_COLOR, metrics: card.metrics.model },
            ...Object.entries(card.metrics.baselines).map(([id, metrics]) => ({
              id,
              name: baselineName(id),
              color: baselineColor(id),
              metrics,
            })),
          ]}
        />
      ) : null}
    </div>
  );
}

function Rates({ card }: { card: ScorecardData }) {
  const majority = card.majorityStrategy ? STRATEGY_STYLE[card.majorityStrategy].name : null;
  return (
    <div className="signals-rates">
      <div className="signals-rate" data-testid="signals-hit-rate">
        <span className="signals-rate-label">Hit rate</span>
        <span className="signals-rate-value">{formatPercent(card.hitRate)}</span>
        <span className="signals-muted">pick = the best strategy afterwards</span>
      </div>
      <div className="signals-rate" data-testid="signals-majority-rate">
        <span className="signals-rate-label">Majority rate</span>
        <span className="signals-rate-value">{formatPercent(card.majorityRate)}</span>
        <span className="signals-muted">
          {majority ? `always ${majority}` : 'always the most frequent best'}
        </span>
      </div>
      <p className="signals-muted signals-rates-note">
        {card.predictions === 0
          ? `No prediction is stored yet. A prediction is scored once ${card.horizon} sessions have followed it.`
          : card.note !== null
            ? card.note
            : card.scored === 0
              ? `None of the ${card.predictions} predictions is scored yet: a prediction is scored once ${card.horizon} sessions have followed it.`
              : `${card.scored} of ${card.predictions} predictions scored (each ${card.horizon} sessions after it was made).`}{' '}
        A hit rate at or below the majority rate means the model does no better than always picking the most
        frequent winner.
      </p>
      {card.inSample !== null && card.inSample > 0 ? (
        <p className="signals-warning" data-testid="signals-in-sample">
          {formatPercent(card.inSample, 0)} of the scored predictions fall inside the model’s training window:
          it saw how those days turned out while training, so they are not evidence of skill.
        </p>
      ) : null}
    </div>
  );
}

function Calibration({ bins }: { bins: ScorecardData['calibration'] }) {
  const g = calibrationGeometry(bins);
  const { width, height } = CALIBRATION_FRAME;
  return (
    <figure className="signals-figure">
      <figcaption>
        Calibration{' '}
        <span className="signals-muted">
          (the pick’s probability against how often such picks were right; on the diagonal = honest)
        </span>
      </figcaption>
      <ChartFrame
        width={width}
        height={height}
        plot={g.plot}
        testId="signals-calibration"
        label={`Calibration: ${g.points.map((p) => `predicted ${formatPercent(p.predicted, 0)}, observed ${formatPercent(p.observed, 0)} over ${p.count}`).join('; ')}`}
      >
        {g.ticks.map((t) => (
          <g key={t.value} className="signals-chart-tick">
            <line x1={t.x} y1={g.plot.y + g.plot.height} x2={t.x} y2={g.plot.y + g.plot.height + 3} />
            <text x={t.x} y={height - 12} textAnchor="middle">
              {Math.round(t.value * 100)}
            </text>
            <line x1={g.plot.x - 3} y1={t.y} x2={g.plot.x} y2={t.y} />
            <text x={g.plot.x - 5} y={t.y + 3} textAnchor="end">
              {Math.round(t.value * 100)}
            </text>
          </g>
        ))}
        <text
          className="signals-chart-axis"
          x={g.plot.x + g.plot.width / 2}
          y={height - 1}
          textAnchor="middle"
        >
          predicted %
        </text>
        <text
          className="signals-chart-axis"
          transform={`translate(9 ${g.plot.y + g.plot.height / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          observed %
        </text>
        <line className="signals-chart-diagonal" {...g.diagonal} />
        {g.path !== '' ? <path className="signals-chart-line" d={g.path} stroke={MODEL_COLOR} /> : null}
        {g.points.map((p) => (
          <circle key={`${p.from}-${p.to}`} cx={p.cx} cy={p.cy} r={p.r} fill={MODEL_COLOR}>
            <title>{`Predicted ${formatPercent(p.from, 0)}–${formatPercent(p.to, 0)}: mean ${formatPercent(p.predicted)}, right ${formatPercent(p.observed)} of ${p.count}`}</title>
          </circle>
        ))}
      </ChartFrame>
    </figure>
  );
}

function Equity({ card }: { card: ScorecardData }) {
  const curves = [
    { id: 'model', points: card.equity.model },
    ...Object.entries(card.equity.baselines).map(([id, points]) => ({ id, points })),
  ];
  const g = equityGeometry(curves);
  const { width, height } = EQUITY_FRAME;
  if (g.span === null) {
    return (
      <p className="signals-muted">
        No equity yet: it starts with the first prediction followed for a session.
      </p>
    );
  }
  const color = (id: string): string => (id === 'model' ? MODEL_COLOR : baselineColor(id));
  const name = (id: string): string => (id === 'model' ? 'Following the model' : baselineName(id));
  return (
    <figure className="signals-figure">
      <figcaption>
        Equity of following the model{' '}
        <span className="signals-muted">
          ({isoSessionDate(g.span.from)} to {isoSessionDate(g.span.to)}
          {g.scale === 'log' ? ', log scale' : ''})
        </span>
      </figcaption>
      <ChartFrame
        width={width}
        height={height}
        plot={g.plot}
        testId="signals-equity"
        label={`Equity curves: ${g.lines.map((l) => `${name(l.id)} ends at ${l.last?.toFixed(2) ?? 'no value'}`).join('; ')}`}
      >
        {g.yTicks.map((t) => (
          <g key={t.value} className="signals-chart-tick">
            <line
              x1={g.plot.x}
              y1={t.y}
              x2={g.plot.x + g.plot.width}
              y2={t.y}
              className="signals-chart-grid"
            />
            <text x={g.plot.x - 4} y={t.y + 3} textAnchor="end">
              {t.value.toFixed(2)}
            </text>
          </g>
        ))}
        {/* Baselines first, the model last: on top. */}
        {[...g.lines]
          .reverse()
          .map((line) =>
            line.d !== '' ? (
              <path
                key={line.id}
                className="signals-chart-line"
                d={line.d}
                stroke={color(line.id)}
                strokeWidth={line.id === 'model' ? 1.8 : 1}
              />
            ) : null,
          )}
      </ChartFrame>
      <ul className="signals-legend">
        {g.lines.map((line) => (
          <li key={line.id}>
            <span className="signals-swatch" style={{ background: color(line.id) }} aria-hidden="true" />
            {name(line.id)} <span className="numeric signals-muted">{line.last?.toFixed(2) ?? '—'}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

interface MetricsRow {
  id: string;
  name: string;
  color: string;
  metrics: PerformanceMetrics | null;
}

/** A metrics table: one row per curve, the columns of METRIC_COLUMNS (also used by the Retrain report). */
export function MetricsTable({ rows, caption }: { rows: readonly MetricsRow[]; caption?: string }) {
  return (
    <div className="signals-table-scroll">
      <table className="signals-metrics" data-testid="signals-metrics">
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col" />
            {METRIC_COLUMNS.map((c) => (
              <th key={c.key} scope="col" className="numeric" title={c.title}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-row={row.id}>
              <th scope="row" title={row.name}>
                <span className="signals-swatch" style={{ background: row.color }} aria-hidden="true" />
                {row.name}
              </th>
              {METRIC_COLUMNS.map((c) => (
                <td key={c.key} className="numeric">
                  {formatMetric(c.key, row.metrics?.[c.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An SVG chart of the scorecard: its box, accessible label and plot area; the marks come as children. */
function ChartFrame({
  width,
  height,
  plot,
  label,
  testId,
  children,
}: {
  width: number;
  height: number;
  plot: { x: number; y: number; width: number; height: number };
  label: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <svg
      className="signals-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid={testId}
    >
      <rect className="signals-chart-plot" x={plot.x} y={plot.y} width={plot.width} height={plot.height} />
      {children}
    </svg>
  );
}

/**
 * The evaluation report of a strategy model: performance next to every baseline (same rows, costs and
 * code), per-fold classification scores, and the equity curves. `trm backtest --json` prints it as one
 * object `{"model", "baselines": {spy_buy_hold, sixty_forty, equal_weight, majority, logistic},
 * "classification": {folds, summary}, ...}`; `renderReportHtml` turns it into one self-contained page.
 * In JSON an undefined metric (NaN: e.g. a Sharpe with no volatility) is written as null.
 */
import { BASELINE_IDS, STRATEGY_IDS, type BaselineId, type PerformanceMetrics } from '../../shared/domain';
import type { BacktestResult } from '../core/signals/backtest';
import { BASELINE_NAMES } from '../core/signals/baselines';
import type { ClassificationReport } from '../core/signals/classification';
import { backtestMetrics, equityCurve, type EquityPoint } from '../core/signals/performance';
import { STRATEGIES } from '../core/signals/strategies';
import type { ModelBacktest } from './model-backtest';

/**
 * Where a fold's scores come from: a purged k-fold test block, a walk-forward test block (the model
 * retrained on the past only), or the decision days of a backtest of a fixed model.
 */
export type FoldKind = 'purged-kfold' | 'walk-forward' | 'backtest';

/** The headline scores of a classifier on one fold. */
export interface ClassifierScores {
  accuracy: number;
  balancedAccuracy: number;
  logLoss: number;
}

export interface FoldClassification extends ClassifierScores {
  kind: FoldKind;
  /** First and last test decision dates (YYYY-MM-DD). */
  from: string;
  to: string;
  /** Labelled test rows scored. */
  rows: number;
  /** Share of test rows labelled with the training majority class: what always answering it scores. */
  majorityRate: number;
  /** confusion[label][predicted], 8×8 in STRATEGY_IDS order. */
  confusion: number[][];
  /** The logistic baseline's scores on the same rows, when it ran. */
  logistic: ClassifierScores | null;
}

/** Means over the folds of one kind. */
export interface ClassificationSummary extends ClassifierScores {
  folds: number;
  rows: number;
  majorityRate: number;
  logistic: ClassifierScores | null;
}

export interface BacktestReport {
  model: PerformanceMetrics;
  baselines: Record<BaselineId, PerformanceMetrics>;
  classification: {
    folds: FoldClassification[];
    summary: Partial<Record<FoldKind, ClassificationSummary>>;
  };
  modelVersion: string;
  /** First and last decision dates of the backtest (YYYY-MM-DD). */
  from: string;
  to: string;
  decisions: number;
  costBps: number;
  /** Caveats in plain words (in-sample days, imputed inputs). */
  notes: string[];
  /** Growth of 1 dollar, one point per day (not among --json's required keys). */
  equity: { model: EquityPoint[]; baselines: Record<BaselineId, EquityPoint[]> };
}

/** What a backtest of a model hands the report: training/model-backtest.ts's result (tests may leave out the notes). */
export type BacktestRun = Omit<ModelBacktest, 'imputed' | 'inSample'> &
  Partial<Pick<ModelBacktest, 'imputed' | 'inSample'>>;

/** One fold's entry from the model's (and optionally the logistic baseline's) classification report. */
export function foldClassification(
  kind: FoldKind,
  from: string,
  to: string,
  model: ClassificationReport,
  logistic: ClassificationReport | null = null,
): FoldClassification {
  return {
    kind,
    from,
    to,
    rows: model.rows,
    accuracy: model.accuracy,
    majorityRate: model.majorityRate,
    balancedAccuracy: model.balancedAccuracy,
    logLoss: model.logLoss,
    confusion: model.confusion.map((row) => [...row]),
    logistic: logistic ? scoresOf(logistic) : null,
  };
}

/** Means per fold kind (the logistic means only when every fold of that kind has them). */
export function summarizeFolds(
  folds: readonly FoldClassification[],
): Partial<Record<FoldKind, ClassificationSummary>> {
  const out: Partial<Record<FoldKind, ClassificationSummary>> = {};
  for (const kind of ['purged-kfold', 'walk-forward', 'backtest'] as const) {
    const of = folds.filter((f) => f.kind === kind);
    if (of.length === 0) continue;
    const mean = (pick: (f: FoldClassification) => number): number =>
      of.reduce((sum, f) => sum + pick(f), 0) / of.length;
    const logistic = of.every((f) => f.logistic)
      ? {
          accuracy: mean((f) => f.logistic!.accuracy),
          balancedAccuracy: mean((f) => f.logistic!.balancedAccuracy),
          logLoss: mean((f) => f.logistic!.logLoss),
        }
      : null;
    out[kind] = {
      folds: of.length,
      rows: of.reduce((sum, f) => sum + f.rows, 0),
      accuracy: mean((f) => f.accuracy),
      majorityRate: mean((f) => f.majorityRate),
      balancedAccuracy: mean((f) => f.balancedAccuracy),
      logLoss: mean((f) => f.logLoss),
      logistic,
    };
  }
  return out;
}

/**
 * The report of a backtest run: its metrics and equity curves, its own labelled days as a 'backtest'
 * fold, plus any cross-validation `folds` the caller has (from training).
 */
export function backtestReportOf(
  run: BacktestRun,
  modelVersion: string,
  folds: readonly FoldClassification[] = [],
  costBps = 5,
): BacktestReport {
  const all = [...folds];
  if (run.classification) {
    all.push(
      foldClassification('backtest', run.from, run.to, run.classification.model, run.classification.logistic),
    );
  }
  const notes: string[] = [];
  if (run.inSample && run.inSample > 0) {
    notes.push(
      `${(run.inSample * 100).toFixed(1)} % of the decision days lie inside the model's training window ` +
        '(in-sample: not evidence of skill).',
    );
  }
  if (run.imputed && run.imputed > 0) {
    notes.push(`${run.imputed} inputs were unknown and fed as their training mean.`);
  }
  const curve = (r: BacktestResult): EquityPoint[] => equityCurve(r.returns, r.times);
  return {
    model: run.metrics.model,
    baselines: run.metrics.baselines,
    classification: { folds: all, summary: summarizeFolds(all) },
    modelVersion,
    from: run.from,
    to: run.to,
    decisions: run.decisions,
    costBps,
    notes,
    equity: {
      model: curve(run.model),
      baselines: Object.fromEntries(BASELINE_IDS.map((id) => [id, curve(run.baselines[id])])) as Record<
        BaselineId,
        EquityPoint[]
      >,
    },
  };
}

/** What a training run's evaluation hands the report (training/train-pipeline.ts's PipelineResult has this shape). */
export interface WalkForwardRun {
  folds: readonly {
    kind: 'purged-kfold' | 'walk-forward';
    from: string;
    to: string;
    trm: ClassificationReport;
    logistic: ClassificationReport | null;
  }[];
  /** The walk-forward backtest: each test block followed with the model retrained on the past only. */
  walkForward: {
    from: string;
    to: string;
    model: BacktestResult;
    baselines: Readonly<Record<string, BacktestResult>>;
  } | null;
}

/**
 * The report of a training run's evaluation: the walk-forward backtest's metrics and curves (every pick
 * made by a model that had not seen that day) next to the baselines over the same days, and every
 * purged k-fold and walk-forward fold. Throws when the run has no walk-forward backtest or lacks a baseline.
 */
export function backtestReportOfWalkForward(
  run: WalkForwardRun,
  modelVersion: string,
  costBps = 5,
): BacktestReport {
  const walk = run.walkForward;
  if (!walk)
    throw new Error('This training run has no walk-forward backtest to report (it ran without evaluation).');
  const baselines = Object.fromEntries(
    BASELINE_IDS.map((id) => {
      const result = walk.baselines[id];
      if (!result) throw new Error(`The walk-forward backtest has no ${id} baseline.`);
      return [id, result];
    }),
  ) as Record<BaselineId, BacktestResult>;
  const report = backtestReportOf(
    {
      from: walk.from,
      to: walk.to,
      decisions: walk.model.returns.length,
      model: walk.model,
      baselines,
      metrics: {
        model: backtestMetrics(walk.model),
        baselines: Object.fromEntries(
          BASELINE_IDS.map((id) => [id, backtestMetrics(baselines[id])]),
        ) as Record<BaselineId, PerformanceMetrics>,
      },
      classification: null,
    },
    modelVersion,
    run.folds.map((f) => foldClassification(f.kind, f.from, f.to, f.trm, f.logistic)),
    costBps,
  );
  report.notes.push(
    'Walk-forward: the model was retrained on an expanding window of past days only (purged by the label ' +
      'horizon) and each pick comes from a model that had not seen that day.',
  );
  return report;
}

function scoresOf(report: ClassificationReport): ClassifierScores {
  return { accuracy: report.accuracy, balancedAccuracy: report.balancedAccuracy, logLoss: report.logLoss };
}

// ---- the page ----

const MODEL_NAME = 'TRM model';
const COLORS: Record<'model' | BaselineId, string> = {
  model: '#c0392b',
  spy_buy_hold: '#1f77b4',
  sixty_forty: '#2ca02c',
  equal_weight: '#9467bd',
  majority: '#7f7f7f',
  logistic: '#e69f00',
};

type MetricKey = keyof PerformanceMetrics;
const METRIC_COLUMNS: {
  key: MetricKey;
  title: string;
  better: 'high' | 'low';
  format: (v: number) => string;
}[] = [
  { key: 'cagr', title: 'CAGR', better: 'high', format: (v) => percent(v) },
  { key: 'vol', title: 'Volatility', better: 'low', format: (v) => percent(v) },
  { key: 'sharpe', title: 'Sharpe', better: 'high', format: (v) => fixed(v, 2) },
  { key: 'sortino', title: 'Sortino', better: 'high', format: (v) => fixed(v, 2) },
  { key: 'max_drawdown', title: 'Max drawdown', better: 'low', format: (v) => percent(v) },
  { key: 'turnover', title: 'Turnover / year', better: 'low', format: (v) => fixed(v, 2) },
];

/** A finite number or null (JSON turns NaN into null: both mean "undefined" here). */
const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const percent = (v: number | null): string => (finite(v) ? `${(v * 100).toFixed(1)}%` : '—');
const fixed = (v: number | null, digits: number): string => (finite(v) ? v.toFixed(digits) : '—');
const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * One self-contained HTML page (inline CSS and SVG; no scripts, fonts or links): the equity curves of
 * the model and every baseline on a log scale, the metrics table with the best value of each column
 * marked, the per-fold classification table and the confusion matrices. Undefined numbers read "—".
 */
export function renderReportHtml(report: BacktestReport): string {
  const title = `Backtest of ${report.modelVersion}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 24px auto; max-width: 1000px; color: #1d1d1f; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { padding: 4px 10px; text-align: right; border-bottom: 1px solid #e3e3e3; }
th:first-child, td:first-child { text-align: left; } th { font-weight: 600; background: #f6f6f6; }
td.best { font-weight: 700; background: #e8f5e9; } td.best::after { content: ' ★'; color: #2e7d32; }
.meta, .note { color: #555; } .note { margin: 2px 0; }
.legend span { display: inline-block; margin-right: 14px; } .legend i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 5px; }
table.confusion td { min-width: 34px; } svg text { font: 11px system-ui, sans-serif; fill: #555; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${report.decisions} decisions from ${escapeHtml(report.from)} to ${escapeHtml(report.to)}; costs ${report.costBps} bps per unit of turnover; the baselines ran over the same days in the same code.</p>
${report.notes.map((n) => `<p class="note">Note: ${escapeHtml(n)}</p>`).join('\n')}
<h2>Growth of $1 (log scale)</h2>
${equityChart(report)}
<h2>Performance</h2>
${metricsTable(report)}
<h2>Classification per fold</h2>
${foldsTable(report.classification.folds)}
${confusionMatrices(report.classification.folds)}
</body>
</html>
`;
}

function metricsTable(report: BacktestReport): string {
  const rows: { name: string; metrics: PerformanceMetrics }[] = [
    { name: MODEL_NAME, metrics: report.model },
    ...BASELINE_IDS.map((id) => ({ name: BASELINE_NAMES[id], metrics: report.baselines[id] })),
  ];
  const best = new Map<MetricKey, number>();
  for (const column of METRIC_COLUMNS) {
    const values = rows.map((r) => r.metrics[column.key]).filter(finite);
    if (values.length > 0)
      best.set(column.key, column.better === 'high' ? Math.max(...values) : Math.min(...values));
  }
  const head = `<tr><th>Strategy</th>${METRIC_COLUMNS.map((c) => `<th>${c.title}</th>`).join('')}</tr>`;
  const body = rows
    .map(({ name, metrics }) => {
      const cells = METRIC_COLUMNS.map((c) => {
        const v = metrics[c.key];
        const isBest = finite(v) && v === best.get(c.key);
        return `<td${isBest ? ' class="best" title="best in this column"' : ''}>${c.format(v)}</td>`;
      });
      return `<tr><td>${escapeHtml(name)}</td>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table class="metrics">\n${head}\n${body}\n</table>
<p class="meta">CAGR, volatility and drawdown in % per year or of the peak; Sharpe and Sortino annualised with a 0 risk-free rate; turnover in units of portfolio value traded per year. ★ marks the best value of each column (highest return and ratios; lowest volatility, drawdown and turnover).</p>`;
}

function foldsTable(folds: readonly FoldClassification[]): string {
  if (folds.length === 0) return '<p class="meta">No labelled test rows: no classification scores.</p>';
  const head =
    '<tr><th>Fold</th><th>Test days</th><th>Rows</th><th>Accuracy</th><th>Majority rate</th>' +
    '<th>Balanced accuracy</th><th>Log-loss</th><th>Logistic accuracy</th><th>Logistic balanced</th><th>Logistic log-loss</th></tr>';
  const body = folds
    .map(
      (f) =>
        `<tr><td>${f.kind}</td><td>${escapeHtml(f.from)} – ${escapeHtml(f.to)}</td><td>${f.rows}</td>` +
        `<td>${percent(f.accuracy)}</td><td>${percent(f.majorityRate)}</td><td>${percent(f.balancedAccuracy)}</td>` +
        `<td>${fixed(f.logLoss, 3)}</td><td>${percent(f.logistic?.accuracy ?? null)}</td>` +
        `<td>${percent(f.logistic?.balancedAccuracy ?? null)}</td><td>${fixed(f.logistic?.logLoss ?? null, 3)}</td></tr>`,
    )
    .join('\n');
  return `<table class="folds">\n${head}\n${body}\n</table>
<p class="meta">Accuracy means something only next to the majority rate (always answering the training window's most frequent strategy). Balanced accuracy is the mean recall over the strategies that occur; log-loss of always answering 1/8 is ${Math.log(8).toFixed(3)}.</p>`;
}

/** One matrix per fold kind, summed over its folds: rows are the realised best strategy, columns the pick. */
function confusionMatrices(folds: readonly FoldClassification[]): string {
  const kinds = [...new Set(folds.map((f) => f.kind))];
  return kinds
    .map((kind) => {
      const sum = STRATEGY_IDS.map(() => new Array<number>(STRATEGY_IDS.length).fill(0));
      for (const f of folds.filter((x) => x.kind === kind)) {
        f.confusion.forEach((row, a) => row.forEach((count, b) => (sum[a]![b]! += count)));
      }
      const names = STRATEGIES.map((s) => s.name);
      const head = `<tr><th>realised \\ picked</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`;
      const body = sum
        .map((row, a) => {
          const total = row.reduce((x, y) => x + y, 0);
          const cells = row.map((count) => {
            const share = total > 0 ? count / total : 0;
            const shade = `rgba(31, 119, 180, ${(share * 0.8).toFixed(3)})`;
            return `<td style="background:${shade}">${count}</td>`;
          });
          return `<tr><td>${escapeHtml(names[a]!)}</td>${cells.join('')}</tr>`;
        })
        .join('\n');
      return `<h2>Confusion matrix (${kind}${kind === 'backtest' ? '' : ', all folds summed'})</h2>\n<table class="confusion">\n${head}\n${body}\n</table>`;
    })
    .join('\n');
}

const WIDTH = 960;
const HEIGHT = 380;
const PAD = { left: 56, right: 16, top: 12, bottom: 28 };
/** Points per curve drawn (enough for a 960-pixel-wide chart). */
const MAX_POINTS = 1200;

function equityChart(report: BacktestReport): string {
  const series = [
    { id: 'model' as const, name: MODEL_NAME, points: report.equity.model },
    ...BASELINE_IDS.map((id) => ({ id, name: BASELINE_NAMES[id], points: report.equity.baselines[id] })),
  ].map((s) => ({ ...s, points: s.points.filter((p) => finite(p.value) && p.value > 0) }));
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return '<p class="meta">No equity curve to draw.</p>';
  // Loops, not Math.min(...spread): thirty years of six daily curves is 45,000 points.
  let t0 = Infinity;
  let t1 = -Infinity;
  let lo = 0; // log(1): the start is always on the chart
  let hi = 0;
  for (const p of all) {
    t0 = Math.min(t0, p.time);
    t1 = Math.max(t1, p.time);
    lo = Math.min(lo, Math.log(p.value));
    hi = Math.max(hi, Math.log(p.value));
  }
  if (t1 === t0) {
    t0 -= 1;
    t1 += 1;
  }
  if (hi - lo < 1e-9) {
    lo -= 0.1;
    hi += 0.1;
  }
  const x = (t: number): number => PAD.left + ((t - t0) / (t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number): number =>
    PAD.top + ((hi - Math.log(v)) / (hi - lo)) * (HEIGHT - PAD.top - PAD.bottom);

  const grid: string[] = [];
  for (const v of logTicks(Math.exp(lo), Math.exp(hi))) {
    const yy = y(v).toFixed(1);
    grid.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${yy}" y2="${yy}" stroke="${v === 1 ? '#999' : '#e5e5e5'}"/>`,
      `<text x="${PAD.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${v < 1 ? v.toFixed(2) : String(v)}</text>`,
    );
  }
  const y0 = new Date(t0).getUTCFullYear();
  const y1 = new Date(t1).getUTCFullYear();
  const yearStep = Math.max(1, Math.ceil((y1 - y0 + 1) / 12));
  for (let year = y0 + 1; year <= y1; year += yearStep) {
    const t = Date.UTC(year, 0, 1);
    if (t < t0 || t > t1) continue;
    const xx = x(t).toFixed(1);
    grid.push(
      `<line x1="${xx}" x2="${xx}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="#f0f0f0"/>`,
      `<text x="${xx}" y="${HEIGHT - 8}" text-anchor="middle">${year}</text>`,
    );
  }
  const lines = [...series].reverse().map((s) => {
    const step = Math.max(1, Math.ceil(s.points.length / MAX_POINTS));
    const kept = s.points.filter((_, k) => k % step === 0 || k === s.points.length - 1);
    const d = kept.map((p) => `${x(p.time).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    const width = s.id === 'model' ? 2.2 : 1.3;
    return `<polyline data-series="${s.id}" fill="none" stroke="${COLORS[s.id]}" stroke-width="${width}" points="${d}"><title>${escapeHtml(s.name)}</title></polyline>`;
  });
  const legend = series
    .map((s) => {
      const last = s.points.at(-1);
      const end = last ? ` (${last.value.toFixed(2)})` : '';
      return `<span><i style="background:${COLORS[s.id]}"></i>${escapeHtml(s.name)}${end}</span>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Equity curves on a log scale">
${grid.join('\n')}
${lines.join('\n')}
</svg>
<p class="legend">${legend}</p>`;
}

/** Gridline values between lo and hi: 1, 2, 5 × powers of ten (0.5, 1, 2, 5, 10, …). */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

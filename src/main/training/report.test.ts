import { describe, expect, it } from 'vitest';
import { BASELINE_IDS, type PerformanceMetrics } from '../../shared/domain';
import { panelOf } from '../test-support/panel-of';
import { followAllocations } from '../core/signals/backtest';
import { BASELINE_NAMES, runBaselines, strategySchedule } from '../core/signals/baselines';
import { classificationReport } from '../core/signals/classification';
import { performanceMetrics } from '../core/signals/performance';
import { STRATEGY_SYMBOLS } from '../core/signals/strategies';
import {
  backtestReportOf,
  backtestReportOfWalkForward,
  foldClassification,
  renderReportHtml,
  type BacktestRun,
} from './report';

const n = 60;
const panel = panelOf({
  close: Object.fromEntries(
    STRATEGY_SYMBOLS.map((s, k) => [
      s,
      Array.from({ length: n }, (_, i) => 100 * (1 + 0.002 * (k - 3)) ** i),
    ]),
  ),
});
const rows = { from: 0, to: n - 1 };

/** A backtest run as training/model-backtest.ts makes one: a model that always picks max_growth. */
function run(): BacktestRun {
  const model = followAllocations(panel, rows, strategySchedule(() => 6).decide);
  const baselines = runBaselines(panel, rows, { majorityPick: () => 0, logisticPick: () => 7 });
  const metricsOf = (r: typeof model): PerformanceMetrics =>
    performanceMetrics(r.returns, r.turnover, r.times);
  const labels = Int8Array.of(6, 6, 1, 0);
  const p = new Float64Array(32).fill(0.05);
  for (let r = 0; r < 4; r++) p[r * 8 + 6] = 0.65;
  return {
    from: '2020-01-02',
    to: '2020-03-25',
    decisions: n - 1,
    model,
    baselines,
    metrics: {
      model: metricsOf(model),
      baselines: Object.fromEntries(BASELINE_IDS.map((id) => [id, metricsOf(baselines[id])])) as Record<
        (typeof BASELINE_IDS)[number],
        PerformanceMetrics
      >,
    },
    classification: { model: classificationReport(labels, p, 6), logistic: null },
    inSample: 0.25,
  };
}

describe('backtestReportOf', () => {
  it('has the --json keys: model, the five baselines and the classification folds with a summary', () => {
    const walk = foldClassification(
      'walk-forward',
      '2019-01-02',
      '2019-06-28',
      classificationReport(Int8Array.of(2), Float64Array.from([0, 0, 1, 0, 0, 0, 0, 0]), 2),
    );
    const report = backtestReportOf(run(), 'trm-test', [walk]);
    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['model', 'baselines', 'classification']));
    expect(Object.keys(report.baselines).sort()).toEqual([...BASELINE_IDS].sort());
    expect(report.classification.folds.map((f) => f.kind)).toEqual(['walk-forward', 'backtest']);
    expect(report.classification.folds[1]!.accuracy).toBeCloseTo(0.5, 12);
    expect(report.classification.summary['walk-forward']!.accuracy).toBe(1);
    expect(report.notes.join(' ')).toMatch(/25.0 % of the decision days lie inside/);
    expect(report.equity.model).toHaveLength(n - 1);
  });
});

describe('backtestReportOfWalkForward', () => {
  it('reports the walk-forward backtest with its metrics and every fold, logistic scores beside', () => {
    const r = run();
    const scores = r.classification!.model;
    const report = backtestReportOfWalkForward(
      {
        folds: [
          { kind: 'purged-kfold', from: '2020-01-02', to: '2020-01-31', trm: scores, logistic: scores },
          { kind: 'walk-forward', from: '2020-02-03', to: '2020-02-28', trm: scores, logistic: null },
        ],
        walkForward: { from: r.from, to: r.to, model: r.model, baselines: r.baselines },
      },
      'trm-walk',
    );
    expect(report.model).toEqual(r.metrics.model);
    expect(report.baselines.equal_weight).toEqual(r.metrics.baselines.equal_weight);
    expect(report.classification.folds.map((f) => f.kind)).toEqual(['purged-kfold', 'walk-forward']);
    expect(report.classification.summary['purged-kfold']!.logistic!.accuracy).toBeCloseTo(0.5, 12);
    expect(report.classification.summary['walk-forward']!.logistic).toBeNull();
    expect(() => backtestReportOfWalkForward({ folds: [], walkForward: null }, 'x')).toThrow(
      /no walk-forward/,
    );
  });
});

describe('renderReportHtml', () => {
  it('names every baseline, shows the table’s numbers and marks the best of each column', () => {
    const report = backtestReportOf(run(), 'trm-test');
    const html = renderReportHtml(report);
    for (const id of BASELINE_IDS) expect(html).toContain(BASELINE_NAMES[id]);
    expect(html).toContain(`${(report.model.cagr * 100).toFixed(1)}%`);
    expect(html).toContain(report.baselines.sixty_forty.sharpe.toFixed(2));
    expect(html.match(/class="best"/g)!.length).toBeGreaterThanOrEqual(6);
    expect(html.match(/<polyline /g)).toHaveLength(6);
    expect(html).toContain('Confusion matrix (backtest)');
  });

  it('is self-contained: no scripts, no external fonts, styles or links', () => {
    const html = renderReportHtml(backtestReportOf(run(), 'trm-test'));
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    expect(html.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
  });

  it('writes "—" for undefined metrics, never "NaN"', () => {
    const nan: PerformanceMetrics = {
      cagr: Number.NaN,
      vol: Number.NaN,
      sharpe: Number.NaN,
      sortino: Number.NaN,
      max_drawdown: Number.NaN,
      turnover: Number.NaN,
    };
    const report = backtestReportOf(run(), 'trm <nan>');
    report.model = nan;
    report.baselines.logistic = nan;
    report.classification.folds[0]!.logLoss = Number.NaN;
    const html = renderReportHtml(report);
    expect(html).not.toContain('NaN');
    expect(html).toMatch(/<td>TRM model<\/td>(<td>—<\/td>){6}/);
    expect(html).toContain('trm &lt;nan&gt;');
    // The same after a JSON round trip, where NaN has become null.
    const html2 = renderReportHtml(JSON.parse(JSON.stringify(report)) as typeof report);
    expect(html2).not.toMatch(/NaN|null/);
  });
});

/**
 * What `trm backtest` runs (loaded only then; its options are in backtest.ts): reads the daily CSV
 * folder, loads the model folder (ONNX Runtime, CUDA else CPU), follows the model's picks with costs next
 * to every baseline (training/model-backtest.ts) and prints the report: a table, or with --json exactly
 * one object {"model", "baselines", "classification", ...} on stdout; --html also writes the page.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BASELINE_IDS, type PerformanceMetrics } from '../../shared/domain';
import { buildDailyPanel } from '../core/signals/daily-panel';
import { loadStrategyModel } from '../inference/trm-model';
import { createLogger } from '../platform/log';
import { readDailyCsvFolder } from '../training/daily-csv-folder';
import { backtestModel, type ModelBacktest } from '../training/model-backtest';
import { backtestReportOf, renderReportHtml } from '../training/report';
import type { BacktestOptions } from './backtest';
import { checkWindow } from './train';

const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—');
const num = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '—');

function row(name: string, m: PerformanceMetrics): string {
  return [
    name.padEnd(14),
    pct(m.cagr).padStart(8),
    pct(m.vol).padStart(8),
    num(m.sharpe).padStart(7),
    num(m.sortino).padStart(8),
    pct(m.max_drawdown).padStart(8),
    num(m.turnover).padStart(9),
  ].join(' ');
}

/** The readable report. */
export function backtestText(result: ModelBacktest, version: string): string {
  const lines = [
    `Backtest of ${version}: ${result.decisions} decisions from ${result.from} to ${result.to}, 5 bps per unit of turnover`,
  ];
  if (result.inSample > 0)
    lines.push(
      `Note: ${pct(result.inSample)} of these days lie inside the model's training window (in-sample, not evidence).`,
    );
  if (result.imputed > 0)
    lines.push(`Note: ${result.imputed} inputs were unknown and fed as their training mean.`);
  lines.push(
    '',
    `${'strategy'.padEnd(14)} ${'CAGR'.padStart(8)} ${'vol'.padStart(8)} ${'Sharpe'.padStart(7)} ${'Sortino'.padStart(8)} ${'max DD'.padStart(8)} ${'turnover'.padStart(9)}`,
    row('TRM model', result.metrics.model),
    ...BASELINE_IDS.map((id) => row(id, result.metrics.baselines[id])),
  );
  const c = result.classification;
  if (c) {
    lines.push(
      '',
      `Classification on ${c.model.rows} days with a known label: accuracy ${pct(c.model.accuracy)} ` +
        `(majority rate ${pct(c.model.majorityRate)}), balanced accuracy ${pct(c.model.balancedAccuracy)}, log-loss ${num(c.model.logLoss)}` +
        (c.logistic
          ? `; logistic: accuracy ${pct(c.logistic.accuracy)}, balanced ${pct(c.logistic.balancedAccuracy)}`
          : ''),
    );
  }
  return lines.join('\n') + '\n';
}

export async function runBacktest(options: BacktestOptions): Promise<void> {
  checkWindow(options.from, options.to);
  if (options.html && !existsSync(dirname(resolve(options.html))))
    throw new Error(
      `cannot write the report to ${resolve(options.html)}: the folder ${dirname(resolve(options.html))} does not exist`,
    );
  const log = createLogger('backtest');
  const folder = readDailyCsvFolder(resolve(options.data));
  for (const warning of folder.warnings) process.stderr.write(`warning: ${warning}\n`);
  const panel = buildDailyPanel(folder.bars);
  const model = await loadStrategyModel(resolve(options.model), { log });
  try {
    const result = await backtestModel(panel, model, { from: options.from, to: options.to });
    const report = backtestReportOf(result, model.manifest.version);
    if (options.html) {
      writeFileSync(resolve(options.html), renderReportHtml(report));
      process.stderr.write(`report written to ${resolve(options.html)}\n`);
    }
    if (options.json) {
      // The equity curves (a point per day and strategy) are for the page; the object stays readable.
      const { equity: _equity, ...summary } = report;
      process.stdout.write(JSON.stringify(summary) + '\n');
    } else process.stdout.write(backtestText(result, model.manifest.version));
  } finally {
    await model.close();
  }
}

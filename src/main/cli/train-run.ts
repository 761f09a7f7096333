/**
 * What `trm train` runs (loaded only then; its options are in train.ts): reads the daily CSV folder,
 * runs the training pipeline (training/train-pipeline.ts; each TRM trains in a worker thread) with a
 * progress line on stderr, and writes the model folder: model.onnx + manifest.json (training/trm),
 * evaluation.json (every fold and the walk-forward backtest), report.html and MODEL_CARD.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { STRATEGY_IDS } from '../../shared/domain';
import { buildDailyPanel } from '../core/signals/daily-panel';
import { backtestMetrics } from '../core/signals/performance';
import { readDailyCsvFolder } from '../training/daily-csv-folder';
import { renderModelCard } from '../training/model-card';
import { ablationSectionOf, withAblationSection } from '../training/news-ablation';
import { backtestReportOfWalkForward, renderReportHtml } from '../training/report';
import { runTrainPipeline, type PipelineProgress } from '../training/train-pipeline';
import { writeModelFolder } from '../training/trm/model-folder';
import { trainTrmInWorker } from '../training/trm/train-in-worker';
import { checkWindow, type TrainOptions } from './train';

function progressLine(p: PipelineProgress): string {
  const e = p.epoch;
  const epoch = e
    ? ` epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(3)} acc ${(e.accuracy * 100).toFixed(1)}%` +
      (e.valLoss !== null ? ` val ${e.valLoss.toFixed(3)}/${((e.valAccuracy ?? 0) * 100).toFixed(1)}%` : '') +
      ` eta ${Math.round(e.etaMs / 1000)}s`
    : '';
  return `${p.stage} (training ${p.done + 1} of ${p.total})${epoch}`;
}

export async function runTrain(options: TrainOptions): Promise<void> {
  checkWindow(options.from, options.to);
  const dataDir = resolve(options.data);
  const out = resolve(options.out);
  const folder = readDailyCsvFolder(dataDir);
  for (const warning of folder.warnings) process.stderr.write(`warning: ${warning}\n`);
  const panel = buildDailyPanel(folder.bars);
  const started = Date.now();
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: '{bar} {percentage}% | {line}', hideCursor: true })
    : null;
  bar?.start(1, 0, { line: 'preparing' });
  let lastLine = '';
  const result = await runTrainPipeline({
    panel,
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    horizon: options.horizon,
    widths: options.widths,
    seed: options.seed,
    config: options.epochs ? { epochs: options.epochs } : {},
    evaluate: options.evaluate,
    train: trainTrmInWorker,
    onProgress: (p) => {
      const line = progressLine(p);
      if (bar) {
        bar.setTotal(p.total);
        bar.update(p.done + (p.epoch ? p.epoch.epoch / p.epoch.epochs : 0), { line });
      } else if (!p.epoch || p.epoch.epoch % 10 === 0 || p.stage !== lastLine) {
        process.stderr.write(`${line}\n`);
      }
      lastLine = p.stage;
    },
  }).finally(() => bar?.stop());

  mkdirSync(out, { recursive: true });
  const manifest = await writeModelFolder(out, result.trained, {
    normalisation: result.normalisation,
    horizon: options.horizon,
    baselines: { majority: STRATEGY_IDS[result.majority]!, logistic: result.logistic },
    // Validation rows chose the epoch and width: the whole window counts as in-sample.
    training: { from: result.window.from, to: result.window.to },
  });
  const walk = result.walkForward;
  const walkMetrics = walk
    ? {
        model: backtestMetrics(walk.model),
        modelDaily: backtestMetrics(walk.modelDaily),
        baselines: Object.fromEntries(
          Object.entries(walk.baselines).map(([id, r]) => [id, backtestMetrics(r)]),
        ),
      }
    : null;
  const evaluation = {
    version: manifest.version,
    window: result.window,
    widths: result.widths,
    labelCounts: result.labelCounts,
    picks: result.picks,
    validationSteps: result.trained.validationSteps,
    history: result.trained.history,
    folds: result.folds,
    walkForward:
      walk && walkMetrics
        ? {
            from: walk.from,
            to: walk.to,
            metrics: walkMetrics,
          }
        : null,
  };
  writeFileSync(join(out, 'evaluation.json'), JSON.stringify(evaluation, null, 1) + '\n');
  if (walk)
    writeFileSync(
      join(out, 'report.html'),
      renderReportHtml(backtestReportOfWalkForward(result, manifest.version)),
    );
  const command = `npx trm train --data ${relative(process.cwd(), dataDir) || '.'} --out ${relative(process.cwd(), out) || '.'}${options.from ? ` --from ${options.from}` : ''}${options.to ? ` --to ${options.to}` : ''} --seed ${options.seed} --widths ${options.widths.join(',')} --horizon ${options.horizon}${options.epochs ? ` --epochs ${options.epochs}` : ''}${options.evaluate ? '' : ' --no-evaluate'}`;
  const cardPath = join(out, 'MODEL_CARD.md');
  // `trm ablate-news` wrote its section into the previous card: keep it (rerun that command to refresh it).
  const ablation = existsSync(cardPath) ? ablationSectionOf(readFileSync(cardPath, 'utf8')) : null;
  const card = renderModelCard({
    manifest,
    result,
    walkMetrics,
    dataDir: relative(process.cwd(), dataDir),
    command,
  });
  writeFileSync(cardPath, ablation === null ? card : withAblationSection(card, ablation));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const summary = walkMetrics
    ? ` Walk-forward out of sample ${walk!.from}..${walk!.to}: Sharpe ${walkMetrics.model.sharpe.toFixed(2)} (SPY ${walkMetrics.baselines.spy_buy_hold?.sharpe.toFixed(2)}), max drawdown ${(walkMetrics.model.max_drawdown * 100).toFixed(1)}% (SPY ${((walkMetrics.baselines.spy_buy_hold?.max_drawdown ?? NaN) * 100).toFixed(1)}%).`
    : '';
  process.stdout.write(
    `Model ${manifest.version} written to ${out} in ${seconds} s (width ${manifest.architecture.width}, ${manifest.training.samples} samples).${summary}\n`,
  );
}

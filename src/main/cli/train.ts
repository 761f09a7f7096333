/**
 * `trm train --data DIR [--from DATE] [--to DATE] --out DIR`: trains the TRM strategy model on a folder of
 * daily CSV files (the layout of `../shared/data/daily`), evaluates it (purged k-fold, walk-forward, a
 * cost-aware backtest against the baselines) and writes the model folder: model.onnx, manifest.json,
 * evaluation.json, report.html and MODEL_CARD.md. Its options and help; train-run.ts loads when it runs.
 */
import type { Command } from 'commander';
import { option } from './option';
import { OptionError, parseCount, parseCountList, parseDate, parseSeed } from './options';

export interface TrainOptions {
  data: string;
  out: string;
  from?: string;
  to?: string;
  seed: number;
  widths: number[];
  horizon: number;
  epochs?: number;
  /** Skip cross-validation and walk-forward (a quick model, no evaluation in the card). */
  evaluate: boolean;
}

/** A YYYY-MM-DD date, kept as text. */
export function parseDay(text: string): string {
  parseDate(text);
  return text;
}

/** Refuses a window whose start is after its end (YYYY-MM-DD texts compare as dates). */
export function checkWindow(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to)
    throw new OptionError(`--from ${from} is after --to ${to}: give the earlier date first`);
}

/**
 * The TRM's model choices both `trm train` and `trm ablate-news` take: `--widths` (8..256, default 16,32)
 * and `--horizon` (sessions, 1..250, default 20). Returns `command`.
 */
export function addTrmModelOptions(command: Command): Command {
  return command
    .option(
      '--widths <list>',
      'model widths to choose from on validation',
      option(parseCountList('--widths', 8, 256)),
      [16, 32],
    )
    .option('--horizon <sessions>', 'label horizon in sessions', option(parseCount('--horizon', 1, 250)), 20);
}

export function registerTrain(program: Command): void {
  const command = program
    .command('train')
    .description(
      'train the TRM strategy model on daily CSV files and write a model folder with its evaluation',
    )
    .requiredOption(
      '--data <dir>',
      'folder of daily CSV files: <ticker>.csv and vix.csv (as ../shared/data/daily)',
    )
    .requiredOption('--out <dir>', 'model folder to write (created; files in it are replaced)')
    .option('--from <date>', 'first decision date of the training window, YYYY-MM-DD', option(parseDay))
    .option('--to <date>', 'last decision date of the training window, YYYY-MM-DD', option(parseDay))
    .option('--seed <n>', 'random seed (same seed and data, same model)', option(parseSeed), 1);
  addTrmModelOptions(command)
    .option(
      '--epochs <n>',
      'most epochs per training (early stopping ends sooner)',
      option(parseCount('--epochs', 1, 1000)),
    )
    .option(
      '--no-evaluate',
      'skip cross-validation and walk-forward (quicker; the card then has no CV results)',
    )
    .action(async (options: TrainOptions) => {
      const { runTrain } = await import('./train-run');
      await runTrain(options);
    });
}

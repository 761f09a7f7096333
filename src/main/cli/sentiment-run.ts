/**
 * What `trm sentiment eval|score` run (loaded only then; options in sentiment.ts): resolves the model
 * (a folder, a registry name, or the shipped default), loads it with the sentiment loader (one log line
 * on stderr saying which provider runs) and prints the evaluation or the scores.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SENTIMENT_LABELS, type Sentiment } from '../../shared/domain';
import { argmaxSentiment, evaluateSentiment, type SentimentEvaluation } from '../core/news/sentiment-metrics';
import { modelFolderOf, readModelRegistry } from '../inference/model-registry';
import { loadSentimentModel, type LoadedSentimentModel } from '../inference/sentiment/sentiment-model';
import { createLogger } from '../platform/log';
import { defaultModelDir, defaultSentimentModelDir, fetchedModelsDir } from '../platform/paths';
import { readPhraseBank, readTweetCsv, type LabelledTexts } from '../training/sentiment/labelled-texts';
import type { SentimentEvalOptions, SentimentModelOption, SentimentScoreOptions } from './sentiment';

/** A failure the user can fix: printed as `trm: <message>`, exit code 1. */
class SentimentCliError extends Error {}

/**
 * The folder and name of the model `--model` names: an existing folder, else a registry name (shipped
 * under models/, fetched under the data folder), else the shipped default.
 * @throws SentimentCliError saying what to run when the folder is not there.
 */
export function resolveSentimentModel(model: string | undefined): { dir: string; name?: string } {
  if (model === undefined) {
    const dir = defaultSentimentModelDir();
    if (!existsSync(dir))
      throw new SentimentCliError(
        `the default sentiment model folder ${dir} does not exist: build it with npm run sentiment-model, or give --model`,
      );
    return { dir };
  }
  if (existsSync(model) && statSync(model).isDirectory()) return { dir: resolve(model) };
  const modelsDir = dirname(defaultModelDir());
  const entry = (() => {
    try {
      return readModelRegistry(modelsDir).models.find((m) => m.name === model);
    } catch {
      return undefined;
    }
  })();
  if (!entry)
    throw new SentimentCliError(
      `--model ${model} is neither a folder nor a model in the registry (trm models list)`,
    );
  if (entry.task !== 'sentiment')
    throw new SentimentCliError(`${model} is a ${entry.task} model, not a sentiment model`);
  const dir = modelFolderOf(entry, modelsDir, fetchedModelsDir());
  if (!existsSync(dir))
    throw new SentimentCliError(
      entry.origin.kind === 'huggingface'
        ? `${model} is not installed (${dir}): run trm models fetch ${model}`
        : `${model}'s folder ${dir} does not exist: build it with npm run sentiment-model`,
    );
  return { dir, name: entry.name };
}

/** Loads the model `--model` names (else the shipped one), runs `use` with it, and closes it after. */
export async function withModel<T>(
  options: SentimentModelOption,
  use: (model: LoadedSentimentModel) => Promise<T>,
): Promise<T> {
  const { dir, name } = resolveSentimentModel(options.model);
  const model = await loadSentimentModel(dir, { log: createLogger('trm'), ...(name ? { name } : {}) });
  try {
    return await use(model);
  } finally {
    await model.close();
  }
}

async function reporting(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    // Reader errors (a missing file, a bad line), model folder errors and ours: the message says it all.
    process.stderr.write(`trm: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

function modelName(model: LoadedSentimentModel): string {
  return `${model.info.name} ${model.info.version}`;
}

export function runSentimentEval(options: SentimentEvalOptions): Promise<void> {
  return reporting(async () => {
    if ((options.phrasebank === undefined) === (options.tweets === undefined))
      throw new SentimentCliError('give exactly one of --phrasebank FILE or --tweets FILE');
    const file = (options.phrasebank ?? options.tweets)!;
    const data: LabelledTexts = options.phrasebank ? readPhraseBank(file) : readTweetCsv(file);
    const n = Math.min(data.texts.length, options.limit ?? Infinity);
    const texts = data.texts.slice(0, n);
    const labels = data.labels.slice(0, n);
    await withModel(options, async (model) => {
      const started = performance.now();
      const scored = await model.score(texts);
      const seconds = (performance.now() - started) / 1000;
      const predicted = argmaxSentiment(scored.flatMap((s) => s.probabilities));
      const evaluation = evaluateSentiment(labels, predicted);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({
            accuracy: evaluation.accuracy,
            macro_f1: evaluation.macroF1,
            confusion: evaluation.confusion,
            n: evaluation.n,
            model: modelName(model),
            per_class: evaluation.perClass,
            labels: SENTIMENT_LABELS,
            provider: model.info.provider,
            file,
            seconds,
          })}\n`,
        );
      } else process.stdout.write(evaluationText(evaluation, modelName(model), file, seconds));
    });
  });
}

function evaluationText(e: SentimentEvaluation, model: string, file: string, seconds: number): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `model     ${model}`,
    `file      ${file}`,
    `n         ${e.n}`,
    `accuracy  ${pct(e.accuracy)}`,
    `macro-F1  ${e.macroF1.toFixed(3)}`,
    `seconds   ${seconds.toFixed(2)} (${Math.round(e.n / Math.max(seconds, 1e-9))} texts/s)`,
    '',
    'class      precision  recall  F1     support',
    ...e.perClass.map(
      (c) =>
        `${c.label.padEnd(9)}  ${c.precision.toFixed(3).padStart(9)}  ${c.recall.toFixed(3).padStart(6)}  ${c.f1.toFixed(3)}  ${String(c.support).padStart(7)}`,
    ),
    '',
    'confusion (rows: label, columns: predicted)',
    `${''.padEnd(9)}  ${SENTIMENT_LABELS.map((l) => l.padStart(8)).join('  ')}`,
    ...e.confusion.map(
      (row, i) => `${SENTIMENT_LABELS[i]!.padEnd(9)}  ${row.map((v) => String(v).padStart(8)).join('  ')}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function runSentimentScore(texts: string[], options: SentimentScoreOptions): Promise<void> {
  return reporting(async () => {
    await withModel(options, async (model) => {
      const scored = await model.score(texts);
      if (options.json) {
        const results = scored.map((s: Sentiment, i) => ({
          text: texts[i],
          label: s.label,
          probabilities: Object.fromEntries(SENTIMENT_LABELS.map((l, c) => [l, s.probabilities[c]])),
          score: s.score,
        }));
        process.stdout.write(`${JSON.stringify({ model: modelName(model), results })}\n`);
        return;
      }
      process.stdout.write(`model ${modelName(model)}\n`);
      process.stdout.write('label     negative  neutral  positive  text\n');
      scored.forEach((s, i) => {
        const [neg, neu, pos] = s.probabilities.map((p) => p.toFixed(3).padStart(8));
        process.stdout.write(
          `${s.label.padEnd(8)}  ${neg}  ${neu}  ${pos}  ${texts[i]!.replace(/\s+/g, ' ').slice(0, 120)}\n`,
        );
      });
    });
  });
}

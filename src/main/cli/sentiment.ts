/**
 * `trm sentiment eval --phrasebank FILE | --tweets FILE [--json] [--model DIR|NAME] [--limit N]` and
 * `trm sentiment score TEXT... [--json] [--model DIR|NAME]`: a sentiment model's accuracy on a labelled
 * file, and the sentiment of texts given on the command line. The default model is the shipped
 * models/sentiment-default; --model takes a folder or a registry name (trm models list). Options and help
 * here; sentiment-run.ts loads when a command runs.
 */
import type { Command } from 'commander';
import { option } from './option';
import { OptionError } from './options';
import { registerSentimentTrain } from './sentiment-train';

export interface SentimentModelOption {
  model?: string;
}
export interface SentimentEvalOptions extends SentimentModelOption {
  phrasebank?: string;
  tweets?: string;
  json?: boolean;
  limit?: number;
}
export interface SentimentScoreOptions extends SentimentModelOption {
  json?: boolean;
}

function parseLimit(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new OptionError(`--limit must be a whole number of at least 1, not "${text}"`);
  return value;
}

const MODEL_HELP = 'model folder or registry name (default: models/sentiment-default)';

export function registerSentiment(program: Command): Command {
  const sentiment = program
    .command('sentiment')
    .description('news and social sentiment: evaluate a model, score texts, train the shipped model');
  sentiment
    .command('eval')
    .description(
      'score a labelled file and print accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix',
    )
    .option('--phrasebank <file>', 'Financial PhraseBank file (sentence@label per line)')
    .option('--tweets <file>', 'Twitter Financial News CSV (text,label; 0 bearish, 1 bullish, 2 neutral)')
    .option('--model <dir|name>', MODEL_HELP)
    .option('--limit <n>', 'score only the first n texts', option(parseLimit))
    .option('--json', 'print {"accuracy", "macro_f1", "confusion", "n", "model", ...}')
    .action(async (options: SentimentEvalOptions) => {
      const { runSentimentEval } = await import('./sentiment-run');
      await runSentimentEval(options);
    });
  sentiment
    .command('score')
    .description('print the sentiment (label and the three probabilities) of each text')
    .argument('<text...>', 'texts to score (quote each)')
    .option('--model <dir|name>', MODEL_HELP)
    .option('--json', 'print {"model", "results": [{"text", "label", "probabilities", "score"}]}')
    .action(async (texts: string[], options: SentimentScoreOptions) => {
      const { runSentimentScore } = await import('./sentiment-run');
      await runSentimentScore(texts, options);
    });
  registerSentimentTrain(sentiment);
  return sentiment;
}

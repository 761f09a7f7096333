/**
 * `trm ablate-news --news FILE --data DIR`: does news help the TRM? Trains the strategy model with and
 * without the news streams on the days the recorded news overlaps the daily history (same seeds, purged
 * k-fold and walk-forward) and writes the result as the "Do news features help?" section of a model card.
 * Its options and help; ablate-news-run.ts loads when it runs.
 */
import type { Command } from 'commander';
import { option } from './option';
import { parseCount, parseSeed } from './options';
import { addTrmModelOptions } from './train';

export interface AblateNewsOptions {
  news: string;
  data: string;
  /** Sentiment model: a folder or a registry name; default the shipped one. */
  model?: string;
  card: string;
  /** Write the card section (false: print only). */
  write: boolean;
  json?: string;
  seeds: number[];
  widths: number[];
  horizon: number;
  epochs?: number;
}

function parseSeeds(text: string): number[] {
  return text.split(',').map((part) => parseSeed(part.trim()));
}

export function registerAblateNews(program: Command): void {
  const command = program
    .command('ablate-news')
    .description(
      'train the TRM with and without the news streams where recorded news overlaps the daily history, and report whether news helps',
    )
    .requiredOption(
      '--news <file>',
      'recorded news file (e.g. ../shared/data/news/stocknet_tweets_2014_2015.csv)',
    )
    .requiredOption('--data <dir>', 'folder of daily CSV files (as ../shared/data/daily)')
    .option('--model <name|dir>', 'sentiment model: a folder or a registry name (default: the shipped one)')
    .option('--card <file>', 'model card to write the section into', 'models/trm-default/MODEL_CARD.md')
    .option('--no-write', 'print the section without writing the card')
    .option('--json <file>', 'also write every run as JSON')
    .option(
      '--seeds <list>',
      'seeds, comma-separated (each arm runs every seed)',
      option(parseSeeds),
      [1, 2, 3],
    );
  addTrmModelOptions(command)
    .option('--epochs <n>', 'most epochs per training', option(parseCount('--epochs', 1, 1000)))
    .action(async (options: AblateNewsOptions) => {
      const { runAblateNews } = await import('./ablate-news-run');
      await runAblateNews(options);
    });
}

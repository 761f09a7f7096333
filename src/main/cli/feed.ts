/**
 * `trm feed`: the live path without a window, feed -> aggregation -> store, with a status line on stdout
 * per change of the feed. Its options and help; what it runs loads from feed-run.ts only when it runs.
 */
import type { Command } from 'commander';
import type { FeedOptions } from './feed-run';
import { option, parseLoaded } from './option';
import { OptionError } from './options';

export function parseSource(text: string): 'alpaca' {
  if (text === 'alpaca') return text;
  throw new OptionError(`--source must be alpaca (the only live source so far), not "${text}"`);
}

function parseFeedMode(text: string): 'paper' | 'live' {
  if (text === 'paper' || text === 'live') return text;
  throw new OptionError(`--mode must be paper or live, not "${text}"`);
}

export function registerFeed(program: Command): void {
  program
    .command('feed')
    .description('stream live market data into the store without a window (status lines on stdout)')
    .option('--source <name>', 'where data comes from: alpaca', option(parseSource), 'alpaca')
    // Checked when the command runs (parseLoaded): the symbol check loads with the engine.
    .option(
      '--symbols <list>',
      'comma-separated symbols, e.g. SPY,QQQ (default: settings.json or 10 ETFs and stocks)',
    )
    .option(
      '--feed <name>',
      'Alpaca feed: iex (free), sip (paid) or delayed_sip (free, 15 min late); default iex',
    )
    .option('--db <path>', 'database file (default: market.sqlite in the user data folder)')
    .option(
      '--mode <mode>',
      'paper | live: which Alpaca account the keys belong to',
      option(parseFeedMode),
      'paper',
    )
    .action(async (given: Omit<FeedOptions, 'symbols'>, command: Command) => {
      const { runFeed, parseSymbolList } = await import('./feed-run');
      // `given.symbols` is the text as typed; the parsed list replaces it.
      runFeed({ ...given, symbols: parseLoaded(command, 'symbols', parseSymbolList) });
    });
}

/**
 * `trm feed`: the live path without a window. The same engine and market service as the workstation
 * (feed -> aggregation -> store), no transport; one status line on stdout per change of the feed
 * (connecting, catching up, live, reconnecting and why). SIGINT or SIGTERM stops it cleanly: pending
 * writes are flushed, the database is closed, the exit status is 0.
 */
import type { Command } from 'commander';
import type { SymbolInfo } from '../../shared/domain';
import { createModeEngine } from '../modes';
import { parseSymbols } from '../market/alpaca/config';
import { createLogger } from '../platform/log';
import { option } from './option';
import { OptionError } from './options';

export interface FeedOptions {
  source: 'alpaca';
  symbols?: string[];
  feed?: string;
  db?: string;
  mode: 'paper' | 'live';
}

export function parseSource(text: string): 'alpaca' {
  if (text === 'alpaca') return text;
  throw new OptionError(`--source must be alpaca (the only live source so far), not "${text}"`);
}

/** A comma-separated symbol list, e.g. "SPY,QQQ" (upper-cased). */
export function parseSymbolList(text: string): string[] {
  try {
    return parseSymbols(text.split(','), '--symbols');
  } catch (error) {
    throw new OptionError(error instanceof Error ? error.message : String(error));
  }
}

function parseFeedMode(text: string): 'paper' | 'live' {
  if (text === 'paper' || text === 'live') return text;
  throw new OptionError(`--mode must be paper or live, not "${text}"`);
}

/** Runs until SIGINT or SIGTERM; `write` receives each stdout line. */
export function runFeed(
  options: FeedOptions,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): void {
  const log = createLogger('trm');
  const engine = createModeEngine({
    mode: options.mode,
    log: log.child('engine'),
    ...(options.db !== undefined ? { db: options.db } : {}),
    alpaca: {
      ...(options.symbols ? { symbols: options.symbols } : {}),
      ...(options.feed !== undefined ? { feed: options.feed } : {}),
    },
  });
  const stamp = (): string => new Date().toISOString().slice(0, 19).replace('T', ' ');
  engine.bus.subscribe('market.feedState', ({ state, message }) => {
    write(`${stamp()} ${state}${message ? `: ${message}` : ''}`);
  });
  const { store } = engine.status();
  // The market service answers this call synchronously (the feed's own list).
  const symbols = engine.market.handlers['market.symbols']({}) as SymbolInfo[];
  write(
    `Streaming ${symbols.map((s) => s.symbol).join(', ')} from Alpaca into ${store.path}. ` +
      'Press Ctrl+C to stop.',
  );
  engine.start();

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    engine.stop(); // flushes the write queue and closes the database
    write(`${stamp()} ${signal}: stopped; every bar received is written to ${store.path}`);
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

export function registerFeed(program: Command): void {
  program
    .command('feed')
    .description('stream live market data into the store without a window (status lines on stdout)')
    .option('--source <name>', 'where data comes from: alpaca', option(parseSource), 'alpaca')
    .option(
      '--symbols <list>',
      'comma-separated symbols, e.g. SPY,QQQ (default: settings.json or 10 ETFs and stocks)',
      option(parseSymbolList),
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
    .action((options: FeedOptions) => runFeed(options));
}

/**
 * What `trm feed` runs (loaded only then; its options are in feed.ts): the live path without a window.
 * The same engine and market service as the workstation (feed -> aggregation -> store), no transport;
 * one status line on stdout per change of the feed (connecting, catching up, live, reconnecting and
 * why). SIGINT or SIGTERM stops it cleanly: pending writes are flushed, the database is closed, the exit
 * status is 0.
 */
import type { SymbolInfo } from '../../shared/domain';
import { createModeEngine } from '../modes';
import { createLogger } from '../platform/log';

export { parseSymbolList } from './symbol-list';

export interface FeedOptions {
  source: 'alpaca';
  symbols?: string[];
  feed?: string;
  db?: string;
  mode: 'paper' | 'live';
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

/**
 * What `trm feed` runs (loaded only then; its options are in feed.ts): the live path without a window.
 * The same engine and market service as the workstation (feed -> aggregation -> store), no transport;
 * one status line on stdout per change of the feed (connecting, catching up, live, reconnecting and
 * why). SIGINT or SIGTERM stops it cleanly: pending writes are flushed, the database is closed, the exit
 * status is 0. Those status lines are not logged to stderr as well, except as warnings and errors (a
 * feed that cannot reach Alpaca); TRM_LOG_LEVEL=debug shows them there too.
 */
import type { SymbolInfo } from '../../shared/domain';
import { createModeEngine } from '../modes';
import { createLogger, type Logger } from '../platform/log';

export { parseSymbolList } from './symbol-list';

export interface FeedOptions {
  source: 'alpaca';
  symbols?: string[];
  feed?: string;
  db?: string;
  mode: 'paper' | 'live';
}

/**
 * The engine's log for `trm feed`: feed states (the market service logs them under the scope `feed`)
 * are this command's stdout, so on stderr they appear at info only as debug lines; warnings and errors
 * stay.
 */
export function feedStatesOnStdout(log: Logger): Logger {
  return {
    ...log,
    child: (scope) => {
      const child = log.child(scope);
      return scope === 'feed' ? { ...child, info: (message) => child.debug(message) } : child;
    },
  };
}

/** Runs until SIGINT or SIGTERM; `write` receives each stdout line. */
export function runFeed(
  options: FeedOptions,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): void {
  const log = createLogger('trm');
  const engine = createModeEngine({
    mode: options.mode,
    log: feedStatesOnStdout(log.child('engine')),
    // Market data only: no news source, no sentiment model.
    news: false,
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

/**
 * What `trm backfill` runs (loaded only then; its options are in backfill.ts): history from Alpaca REST
 * into the market database, with progress (a bar on a terminal, one line per page otherwise). Minute
 * bars are aggregated into every timeframe like live ones; daily bars are stored as Alpaca's official
 * ones. Interrupted (Ctrl+C, SIGTERM, a lost connection), it keeps what was written; the same command
 * again resumes where it stopped.
 */
import { SingleBar } from 'cli-progress';
import { AbortedError, AlpacaRestError } from '../market/alpaca/rest';
import type { HistoryProgressEvent, HistoryTimeframe } from '../market/alpaca/history-job';
import { createAlpacaBackfill } from '../modes/alpaca';
import { createLogger } from '../platform/log';
import { defaultDataDir, defaultMarketDbPath } from '../platform/paths';
import { OptionError } from './options';

export { parseSymbolList } from './symbol-list';

export interface BackfillOptions {
  symbols: string[];
  from: string;
  to?: string;
  timeframe: HistoryTimeframe;
  feed?: string;
  db?: string;
  restart?: boolean;
}

const exchangeTime = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function describe(event: HistoryProgressEvent): string {
  const through =
    event.through === null
      ? 'nothing yet'
      : `${exchangeTime.format(new Date(event.through)).replace(',', '')} ET`;
  const what = event.timeframe === '1Min' ? 'minute bars' : 'daily bars';
  const note =
    event.note === 'resumed'
      ? ' (resuming an interrupted backfill)'
      : event.note === 'skipped'
        ? ' (already backfilled; --restart fetches it again)'
        : event.note === 'done'
          ? ' (done)'
          : '';
  return `${event.symbol} ${event.timeframe}: through ${through}, ${event.bars.toLocaleString('en-US')} ${what}${note}`;
}

export async function runBackfill(
  options: BackfillOptions,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  tty: boolean = process.stdout.isTTY === true,
): Promise<void> {
  if (options.to !== undefined && options.to < options.from) {
    throw new OptionError(`--to (${options.to}) is before --from (${options.from})`);
  }
  const log = createLogger('trm');
  const dataDir = defaultDataDir();
  let bar: SingleBar | null = null;
  const job = createAlpacaBackfill({
    dbPath: options.db ?? defaultMarketDbPath(dataDir),
    dataDir,
    log: log.child('backfill'),
    symbols: options.symbols,
    timeframe: options.timeframe,
    from: options.from,
    to: options.to ?? null,
    ...(options.feed !== undefined ? { feed: options.feed } : {}),
    restart: options.restart ?? false,
    onProgress: (event) => {
      if (bar) {
        bar.update(Math.round(event.fraction * 1000), { detail: describe(event) });
      } else {
        write(`${describe(event)} ${Math.round(event.fraction * 100)}%`);
      }
    },
  });
  const range = `${options.from} to ${options.to ?? 'now'}`;
  write(
    `Backfilling ${options.symbols.join(', ')} ${options.timeframe} (${job.feed} feed) from ${range} into ${job.storePath}`,
  );
  if (tty) {
    bar = new SingleBar({ format: 'backfill [{bar}] {percentage}% | {detail}', hideCursor: true });
    bar.start(1000, 0, { detail: 'starting' });
  }
  const interrupted: { by: string | null } = { by: null };
  const interrupt = (signal: string): void => {
    interrupted.by ??= signal;
    job.stop();
  };
  const onSigint = (): void => interrupt('SIGINT');
  const onSigterm = (): void => interrupt('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    const summary = await job.run();
    bar?.stop();
    const skipped = summary.skipped.length > 0 ? `; ${summary.skipped.join(', ')} already done` : '';
    write(
      `Done: ${summary.minuteBars.toLocaleString('en-US')} minute bars and ${summary.dailyBars.toLocaleString('en-US')} ` +
        `daily bars written${skipped}.`,
    );
  } catch (error) {
    bar?.stop();
    if (error instanceof AbortedError && interrupted.by !== null) {
      write(`${interrupted.by}: stopped. What was fetched is saved; run the same command again to resume.`);
      process.exitCode = 130;
      return;
    }
    if (error instanceof AlpacaRestError) {
      // The technical code (ENOTFOUND...) last, in brackets, after the advice.
      const code = error.technical ? ` [${error.technical}]` : '';
      throw new Error(
        `${error.plain}. What was fetched is saved; run the same command again to resume.${code}`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    job.close();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

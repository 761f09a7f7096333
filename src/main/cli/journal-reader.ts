/**
 * The trading journal read straight from a database, for `trm orders` and `trm positions` when no
 * workstation is running. Nothing is written (the connection is query_only; nothing is migrated: a
 * database the store has never journaled in simply has no journal), and positions are the core portfolio over the
 * journal's cash entries and fills, marked to the last stored 1-minute close of each symbol.
 *
 * Units: shares, dollars, epoch ms UTC.
 */
import { PAPER_SHADOW_ACCOUNT } from '../core/trading/journal';
import {
  isReplayAccount,
  LEGACY_REPLAY_ACCOUNT,
  replayAccountsNewestFirst,
} from '../core/trading/replay-account';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Fill, Order, PortfolioSnapshot } from '../../shared/domain';
import { markToMarket, portfolioFromJournal } from '../core/trading/portfolio';
import { BarRepository } from '../store/bar-repository';
import { TradingJournalRepository } from '../store/trading-journal';
import { EXIT, type CliOutput } from './trading-text';

/** A journal that cannot be read, or no single account to read; the message says what to do. */
export class JournalReadError extends Error {
  override readonly name = 'JournalReadError';
}

export interface JournalReader {
  readonly path: string;
  /** Accounts with journal rows, sorted (empty when the database has no journal). */
  accounts(): string[];
  orders(account: string, query: { open: boolean; limit: number }): Order[];
  /**
   * The account's portfolio: cash entries and fills in the order written, marked to the last stored 1m
   * close of each symbol (a symbol with no stored bar is valued at its average price). The day's P&L is
   * not known without the workstation (it keeps the day's opening equity) and is reported as 0.
   * `time` is the newest of the journal's entries and the prices used. `cashKnown` is false when the
   * journal holds no cash entries (an Alpaca account: the broker keeps the cash, and positions opened
   * elsewhere): the positions are then those of the fills journaled here, and the account is not known.
   */
  portfolio(account: string): { snapshot: PortfolioSnapshot; cashKnown: boolean };
  /** Every order (in the order placed) and fill of the account (`trm divergence`); empty when none. */
  executions(account: string): { orders: Order[]; fills: Fill[] };
  close(): void;
}

/**
 * Opens `path` for reading only (query_only).
 * @returns null when the file does not exist
 * @throws JournalReadError when another program holds the database, or it is not a readable database
 */
export function openJournalReader(path: string): JournalReader | null {
  const file = resolve(path);
  if (!existsSync(file)) return null;
  let db: Database.Database | null = null;
  try {
    // Not SQLite's readonly flag: a read-only connection to a WAL database needs a shared-memory index
    // (-shm), which the store, holding its file with exclusive locking, never uses; it fails or leaves
    // -shm and -wal files behind. Instead the connection refuses every write (query_only), takes the file
    // like the store does, and so sees what a workstation that died left in its WAL.
    db = new Database(file, { fileMustExist: true, timeout: 250 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('query_only = ON');
    const hasJournal =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trading_orders'").get() !==
      undefined;
    return hasJournal ? journalReader(file, db) : emptyReader(file, db);
  } catch (error) {
    db?.close();
    const code = (error as { code?: unknown }).code;
    const why =
      code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
        ? 'is in use by another program (a workstation without a runtime file, or trm feed/import?); ' +
          'try again when it has stopped'
        : `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
    throw new JournalReadError(`${file} ${why}`, { cause: error });
  }
}

function emptyReader(path: string, db: Database.Database): JournalReader {
  return {
    path,
    accounts: () => [],
    orders: () => [],
    portfolio: () => ({
      snapshot: {
        time: 0,
        account: { cash: 0, equity: 0, grossExposure: 0, realizedPnl: 0, unrealizedPnl: 0, dayPnl: 0 },
        positions: [],
      },
      cashKnown: false,
    }),
    executions: () => ({ orders: [], fills: [] }),
    close: () => db.close(),
  };
}

function journalReader(path: string, db: Database.Database): JournalReader {
  const journal = new TradingJournalRepository(db);
  const bars = new BarRepository(db);
  return {
    path,
    accounts: () => journal.accounts(),
    orders: (account, query) => journal.orders(account, query),
    portfolio(account) {
      const { fills, cash } = journal.load(account);
      const portfolio = portfolioFromJournal({ cash, fills });
      let time = 0;
      for (const record of [...cash, ...fills]) time = Math.max(time, record.time);
      const prices = new Map<string, number>();
      for (const symbol of Object.keys(portfolio.holdings)) {
        const last = bars.latest(symbol, '1m');
        if (last === null) continue;
        prices.set(symbol, last.close);
        time = Math.max(time, last.start);
      }
      // Unknown offline: the day's opening equity is the workstation's; take today's P&L as 0.
      const unmarked = markToMarket(portfolio, prices, 0);
      const marked = markToMarket(portfolio, prices, unmarked.account.equity);
      return { snapshot: { time, ...marked }, cashKnown: cash.length > 0 };
    },
    executions(account) {
      const { orders, fills } = journal.load(account);
      return { orders: orders.map(({ stopTriggered: _, ...order }) => order), fills };
    },
    close: () => db.close(),
  };
}

/** The one journal to read offline, found among `databases` (and `account` when given). */
export interface ChosenJournal {
  reader: JournalReader;
  account: string;
  /**
   * Said on stderr before reading, when the account was one of several replay runs: which was chosen (the
   * newest) and how to pick another. Absent when the account was the only one, or named exactly.
   */
  note?: string;
}

/** Replay runs listed by name in the note; older ones are counted. */
const LISTED_REPLAY_RUNS = 10;

/**
 * Chooses the journal to read: among the existing `databases`, the accounts with journal rows (only
 * `account` when given). Exactly one → it (the caller closes its reader). Several, all replay runs'
 * (core/trading/replay-account.ts: each replay run trades an account of its own) in one database → the
 * newest run, with a note naming it and the others. `account` 'replay' names the newest replay run of a
 * database that has no account called just 'replay' (one from before per-run replay accounts).
 * @throws JournalReadError when there is none, or several that are not all one database's replay runs
 *   (the message lists them and the options to choose)
 */
export function chooseJournal(databases: readonly string[], account: string | undefined): ChosenJournal {
  const readers: JournalReader[] = [];
  let keep: JournalReader | null = null;
  try {
    const found: { reader: JournalReader; account: string }[] = [];
    const held: string[] = [];
    for (const db of databases) {
      const reader = openJournalReader(db);
      if (reader === null) continue;
      readers.push(reader);
      const accounts = reader.accounts();
      const runsOnly = account === LEGACY_REPLAY_ACCOUNT && !accounts.includes(LEGACY_REPLAY_ACCOUNT);
      for (const name of accounts) {
        held.push(`${name} (${reader.path})`);
        // The paper account's shadow (demo fills for `trm divergence`) is read only when named.
        const wanted =
          account === undefined
            ? name !== PAPER_SHADOW_ACCOUNT
            : name === account || (runsOnly && isReplayAccount(name));
        if (wanted) found.push({ reader, account: name });
      }
    }
    if (found.length === 1) {
      keep = found[0]!.reader;
      return found[0]!;
    }
    if (found.length === 0) {
      const where = databases.map((db) => resolve(db)).join(' or ');
      const which = account === undefined ? 'no trading journal' : `no journal of account "${account}"`;
      throw new JournalReadError(
        `${which} in ${where}` + (held.length > 0 ? `; there is: ${held.join(', ')}` : ''),
      );
    }
    const runs = replayAccountsNewestFirst(found.map((f) => f.account));
    if (runs.length === found.length && found.every((f) => f.reader === found[0]!.reader)) {
      const newest = found.find((f) => f.account === runs[0])!;
      keep = newest.reader;
      return { ...newest, note: replayRunsNote(newest.reader.path, runs) };
    }
    // A database's replay runs take one line: its newest, and how many there are.
    const list = found
      .flatMap((f) => {
        if (!isReplayAccount(f.account)) return [`  ${f.account} in ${f.reader.path}`];
        const ofReader = replayAccountsNewestFirst(
          found.filter((g) => g.reader === f.reader).map((g) => g.account),
        );
        if (ofReader[0] !== f.account) return [];
        const more = ofReader.length > 1 ? ` (the newest of ${ofReader.length} replay runs)` : '';
        return [`  ${f.account} in ${f.reader.path}${more}`];
      })
      .join('\n');
    const newestRun =
      runs.length > 0 && !runs.includes(LEGACY_REPLAY_ACCOUNT)
        ? ' (--account replay: the newest replay run)'
        : '';
    throw new JournalReadError(
      `several trading journals:\n${list}\nchoose one with --db PATH and --account NAME${newestRun}`,
    );
  } finally {
    for (const reader of readers) if (reader !== keep) reader.close();
  }
}

/** "3 replay runs in <db>; reading the newest, replay:…; pick another with --account NAME:" and the list. */
function replayRunsNote(path: string, runs: readonly string[]): string {
  const listed = runs.slice(0, LISTED_REPLAY_RUNS).map((run, i) => `  ${run}${i === 0 ? ' (newest)' : ''}`);
  const older = runs.length - listed.length;
  if (older > 0) listed.push(`  … and ${older} older`);
  return (
    `${runs.length} replay runs in ${path} (each trades an account of its own); reading the newest, ` +
    `${runs[0]}. Pick another with --account NAME:\n${listed.join('\n')}\n`
  );
}

/**
 * The offline half of `trm orders` and `trm positions`: chooses the journal (chooseJournal), says on
 * stderr that it reads the journal because no workstation runs, runs `act` and closes the database.
 * @returns `act`'s exit code, or 1 when there is no single journal to read (the reason on stderr)
 */
export function withJournal(
  command: string,
  databases: readonly string[],
  account: string | undefined,
  output: CliOutput,
  act: (reader: JournalReader, account: string) => number,
): number {
  let chosen: ChosenJournal;
  try {
    chosen = chooseJournal(databases, account);
  } catch (error) {
    if (!(error instanceof JournalReadError)) throw error;
    output.stderr(`trm ${command}: no workstation is running, and ${error.message}\n`);
    return EXIT.failed;
  }
  try {
    if (chosen.note !== undefined) output.stderr(`trm ${command}: ${chosen.note}`);
    output.stderr(
      `no workstation is running; read from the journal in ${chosen.reader.path} (account ${chosen.account})\n`,
    );
    return act(chosen.reader, chosen.account);
  } finally {
    chosen.reader.close();
  }
}

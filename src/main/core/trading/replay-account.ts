/**
 * The journal accounts of replays. Each replay run trades a fresh account of its own, keyed by the run's
 * start (wall time, UTC, to the second): `replay:2026-11-30T18:23:43Z`. Runs never mix (a replay of 2026
 * never opens holding what a replay of 2021 bought, and a restarted replay never holds fills from days its
 * clock has not reached), and every run's journal stays in the market database for review. The key's
 * fixed-width ISO time sorts runs oldest to newest as text.
 *
 * A database from before per-run accounts holds one account named plain `replay`: it is a replay account
 * too, older than every per-run one (it sorts first).
 */

/** What every per-run replay account key starts with. */
export const REPLAY_ACCOUNT_PREFIX = 'replay:';
/** The single replay account of databases from before per-run accounts. */
export const LEGACY_REPLAY_ACCOUNT = 'replay';

/** A per-run replay account key: `replay:<run start, ISO 8601 UTC to the second>`. */
export type ReplayAccount = `replay:${string}`;

/**
 * The account key of a replay run started at `runStart` (epoch ms UTC, wall time), e.g.
 * `replay:2026-11-30T18:23:43Z`. When that key is already `taken` (a run started within the same second),
 * the first free second after it: keys stay unique and keep sorting by start.
 * @throws RangeError when `runStart` is not a finite time
 */
export function replayAccount(runStart: number, taken: Iterable<string> = []): ReplayAccount {
  if (!Number.isFinite(runStart))
    throw new RangeError(`a replay run's start must be a time, got ${runStart}`);
  const used = new Set(taken);
  for (let second = Math.floor(runStart / 1000); ; second++) {
    const key: ReplayAccount = `${REPLAY_ACCOUNT_PREFIX}${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
    if (!used.has(key)) return key;
  }
}

/** Whether `account` is a replay's: a per-run key, or the legacy plain `replay`. */
export function isReplayAccount(account: string): boolean {
  return account === LEGACY_REPLAY_ACCOUNT || account.startsWith(REPLAY_ACCOUNT_PREFIX);
}

/** The replay accounts among `accounts`, newest run first (the legacy `replay` last). */
export function replayAccountsNewestFirst(accounts: Iterable<string>): string[] {
  return [...accounts].filter(isReplayAccount).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/**
 * Reconnect delays: exponential backoff with jitter, so that many clients dropped at once (an Alpaca
 * restart) do not all return in the same second.
 *
 * delay(attempt) = floor + u * (min(cap, base * 2^attempt) - floor), u uniform in [0, 1).
 * With floor 0 this is "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015):
 * the lowest total load on the server of the schemes compared there. A floor keeps a minimum wait where
 * retrying early is pointless (406, connection limit: minutes).
 */
export interface BackoffPolicy {
  /** Delay scale of attempt 0, ms. */
  baseMs: number;
  /** Upper bound of any delay, ms. */
  capMs: number;
  /** Lower bound of any delay, ms (0: full jitter). */
  floorMs: number;
}

/** Ordinary drops: retry within a second at first, at most a minute apart. */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000, floorMs: 0 };

/** 406 connection limit exceeded: another client holds the account's one connection; wait minutes. */
export const CONNECTION_LIMIT_BACKOFF: BackoffPolicy = {
  baseMs: 60_000,
  capMs: 15 * 60_000,
  floorMs: 60_000,
};

/**
 * The delay before retry number `attempt` (0-based), in ms. `random` returns uniform values in [0, 1)
 * (inject a seeded generator in tests). Throws RangeError on a negative or fractional attempt.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be 0, 1, 2...: ${attempt}`);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 52));
  const floor = Math.min(policy.floorMs, ceiling);
  return Math.round(floor + random() * (ceiling - floor));
}

/**
 * Keeping a reply or event within the contract's message limit (the transports refuse a bigger frame):
 * a list is cut into runs that fit, and a reply carries the newest run (the client asks again with
 * `before` for the older ones).
 */
import { MAX_MESSAGE_BYTES } from '../../shared/protocol';

/**
 * Half the contract's message limit: what one reply or event of a list may carry, with room for the frame
 * around it. A stored news item may hold 8,000 characters of text and a prediction every feature
 * stream's value and reason (about 2 KB), so 500 of either could pass the limit.
 */
export const MESSAGE_BUDGET = MAX_MESSAGE_BYTES / 2;

/**
 * `items` cut into consecutive runs whose JSON stays within `budget` bytes (UTF-16 length as a bound for
 * ASCII-heavy text; every run holds at least one item). Always returns at least one run (maybe empty):
 * a reply of newest-first items takes the first (older ones follow with `before`), an event sends each.
 */
export function withinMessageBudget<T>(items: readonly T[], budget = MESSAGE_BUDGET): T[][] {
  const runs: T[][] = [[]];
  let bytes = 2; // the array's brackets
  for (const item of items) {
    const size = JSON.stringify(item).length + 1;
    const run = runs[runs.length - 1]!;
    if (run.length > 0 && bytes + size > budget) {
      runs.push([item]);
      bytes = 2 + size;
    } else {
      run.push(item);
      bytes += size;
    }
  }
  return runs;
}

/**
 * Of `items` oldest first, the newest ones whose JSON fits in `budget` bytes, still oldest first (at
 * least the newest one): a reply of `signals.predictions`.
 */
export function newestWithinMessageBudget<T>(items: readonly T[], budget = MESSAGE_BUDGET): T[] {
  return withinMessageBudget([...items].reverse(), budget)[0]!.reverse();
}

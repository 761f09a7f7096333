/**
 * Moving manual time while real loopback sockets work: time advances in small steps with a moment of
 * real time between them, so a connection, its handshake and a catch-up finish at the simulated
 * instant they would in production instead of all timers firing before any byte moves.
 */
import type { ManualTimers } from '../../../test-support/manual-timers';
import { settle } from './feed-rig';

/** Advances `timers` by `ms` in steps of `stepMs`, letting I/O run between steps. */
export async function pass(timers: ManualTimers, ms: number, stepMs = 1_000): Promise<void> {
  let left = ms;
  while (left > 0) {
    const step = Math.min(stepMs, left);
    timers.advance(step);
    left -= step;
    await settle(2);
  }
}

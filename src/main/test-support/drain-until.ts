/**
 * For tests of services that run on ManualTimers: drive deferred work and promise callbacks round after
 * round until the service says it is idle.
 */
import type { ManualTimers } from './manual-timers';

/**
 * Drains `timers`' deferred work and lets promises settle (one setImmediate a round) until `idle`
 * resolves, e.g. `drainUntil(service.whenIdle(), timers)`.
 * @throws Error when it has not resolved after 1000 rounds.
 */
export async function drainUntil(idle: Promise<unknown>, timers: ManualTimers): Promise<void> {
  let done = false;
  void idle.then(() => (done = true));
  for (let round = 0; round < 1000 && !done; round++) {
    timers.drain();
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!done) throw new Error('still busy after 1000 rounds of deferred work');
}

/**
 * Wall time and timers, injected wherever main-process code paces itself, so that tests can drive them
 * (and core logic never sees them: it takes time from events).
 */
export interface Timers {
  /** Wall-clock epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Run `fn` after pending I/O callbacks: long loops yield through this to keep the event loop live. */
  defer(fn: () => void): void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  defer: (fn) => setImmediate(fn),
};

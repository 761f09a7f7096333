/**
 * A value that changes over time, in the shape React's useSyncExternalStore reads: the glue between
 * engine-side streams (connection state, link problems, chart snapshots) and components.
 */
// Function-valued properties rather than methods: they are passed around unbound (to React, as callbacks).
export interface ReadableStore<T> {
  readonly get: () => T;
  readonly subscribe: (listener: () => void) => () => void;
}

export interface ValueStore<T> extends ReadableStore<T> {
  readonly set: (value: T) => void;
}

export function createValueStore<T>(initial: T, equals: (a: T, b: T) => boolean = Object.is): ValueStore<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set: (next) => {
      if (equals(value, next)) return;
      value = next;
      for (const listener of listeners) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * A small typed topic bus: the services of the engine talk through it without knowing each other.
 * Delivery is synchronous and in subscription order, so "write, then publish" holds for every
 * subscriber: by the time a topic is published, the state it announces is already stored.
 *
 * A subscriber that throws does not stop the others; the error goes to `onError` (the engine logs it).
 */
export class TopicBus<Topics extends object> {
  private readonly handlers = new Map<keyof Topics, Set<(payload: never) => void>>();

  constructor(private readonly onError: (topic: keyof Topics, error: unknown) => void) {}

  /** Calls `handler` with every later payload of `topic`; returns the function that stops it. */
  subscribe<K extends keyof Topics>(topic: K, handler: (payload: Topics[K]) => void): () => void {
    let set = this.handlers.get(topic);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    const entry = handler as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  publish<K extends keyof Topics>(topic: K, payload: Topics[K]): void {
    const set = this.handlers.get(topic);
    if (set === undefined) return;
    for (const handler of set) {
      try {
        (handler as (payload: Topics[K]) => void)(payload);
      } catch (error) {
        this.onError(topic, error);
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}

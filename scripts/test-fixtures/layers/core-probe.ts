// A core file that breaks the rules on purpose, for scripts/layers.test.ts: a type import of the store
// (which drags in better-sqlite3's typings and, with them, Node's) and a Node timer.
import type { Store } from '../../../src/main/store/store';

export function probe(store: Store): void {
  setTimeout(() => store.close(), 0);
}

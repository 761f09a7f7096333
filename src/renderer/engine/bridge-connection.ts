/**
 * The Electron transport: the preload's `window.trm` pipe. It is open for the life of the page (the
 * main process owns both ends), so its state never changes.
 */
import type { TrmBridge } from '../../shared/bridge';
import type { Connection } from '../../shared/rpc-client';

export function createBridgeConnection(bridge: TrmBridge): Connection {
  const unsubscribers = new Set<() => void>();
  return {
    state: 'open',
    send(message) {
      bridge.post(message);
    },
    onMessage(listener) {
      const off = bridge.onMessage(listener);
      unsubscribers.add(off);
      return () => {
        unsubscribers.delete(off);
        off();
      };
    },
    onStateChange() {
      return () => {};
    },
    close() {
      for (const off of unsubscribers) off();
      unsubscribers.clear();
    },
  };
}

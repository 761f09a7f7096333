/**
 * What the Electron preload exposes to the page, as `window.trm`: a message pipe that carries only
 * contract envelopes (protocol.ts). The main process validates every envelope on arrival, and the
 * page's client validates every reply, exactly as over the WebSocket transport.
 */
import type { ClientMessage } from './protocol';

export interface TrmBridge {
  /** Send one envelope to the engine. */
  post(message: ClientMessage): void;
  /** Receive envelopes from the engine; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

/** The global name under which the preload exposes the bridge. */
export const BRIDGE_GLOBAL = 'trm';

/** The single IPC channel that carries envelopes in both directions. */
export const IPC_CHANNEL = 'trm:rpc';

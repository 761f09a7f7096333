/**
 * The Electron IPC transport: the same contract connections as the web transport, over one channel.
 * Typed structurally against the few Electron members it uses, so this file does not import electron
 * (only src/main/index.ts does) and tests can drive it with plain objects.
 *
 * Every message is checked for its sender first (the caller decides what is trusted: our own page,
 * main frame only); messages from anyone else are dropped and logged, never answered.
 */
import { IPC_CHANNEL } from '../../shared/bridge';
import type { ServerMessage } from '../../shared/protocol';
import type { Logger } from '../platform/log';
import type { ContractService } from '../../shared/api';
import { createClientConnection, type ClientConnection } from './dispatcher';

export interface IpcSender {
  readonly id: number;
  send(channel: string, message: unknown): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcEvent {
  readonly sender: IpcSender;
  /** The frame that sent the message; null once it navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEvent, message: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEvent, message: unknown) => void): unknown;
}

export interface IpcServerOptions {
  service: ContractService;
  log: Logger;
  /** Whether a sender may use the contract (e.g. our app:// page, main frame). */
  isTrustedSender(event: IpcEvent): boolean;
}

/** Serves the contract on IPC_CHANNEL; returns the function that stops serving. */
export function serveIpc(ipcMain: IpcMainLike, options: IpcServerOptions): () => void {
  const { service, log } = options;
  const connections = new Map<number, ClientConnection>();

  const connectionFor = (sender: IpcSender): ClientConnection => {
    const existing = connections.get(sender.id);
    if (existing) return existing;
    const send = (message: ServerMessage): void => {
      if (!sender.isDestroyed()) sender.send(IPC_CHANNEL, message);
    };
    const connection = createClientConnection(service, send, log, `window ${sender.id}`);
    connections.set(sender.id, connection);
    sender.once('destroyed', () => {
      connection.dispose();
      connections.delete(sender.id);
    });
    return connection;
  };

  const onMessage = (event: IpcEvent, message: unknown): void => {
    if (!options.isTrustedSender(event)) {
      log.warn(`ignored IPC from an untrusted sender (${event.senderFrame?.url ?? 'unknown frame'})`);
      return;
    }
    connectionFor(event.sender).receive(message);
  };

  ipcMain.on(IPC_CHANNEL, onMessage);
  return () => {
    ipcMain.removeListener(IPC_CHANNEL, onMessage);
    for (const connection of connections.values()) connection.dispose();
    connections.clear();
  };
}

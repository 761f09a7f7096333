/**
 * The Electron IPC transport, driven through the same structural surface Electron provides: only
 * trusted senders reach the contract, each window gets its own connection, and a closed window's
 * streams stop.
 */
import { describe, expect, it } from 'vitest';
import { IPC_CHANNEL } from '../../shared/bridge';
import { createMemoryLogger } from '../platform/log';
import type { ContractService } from '../../shared/api';
import { contractService } from '../test-support/contract-service';
import { serveIpc, type IpcEvent, type IpcMainLike, type IpcSender } from './ipc-server';

type Listener = (event: IpcEvent, message: unknown) => void;

function fakeIpcMain() {
  const listeners = new Map<string, Set<Listener>>();
  const ipcMain: IpcMainLike = {
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (event: IpcEvent, message: unknown) =>
    listeners.get(IPC_CHANNEL)?.forEach((l) => l(event, message));
  return { ipcMain, emit, count: () => listeners.get(IPC_CHANNEL)?.size ?? 0 };
}

function fakeWindow(id: number, url: string) {
  const sent: unknown[] = [];
  let onDestroyed: () => void = () => undefined;
  let destroyed = false;
  const sender: IpcSender = {
    id,
    send: (channel, message) => {
      expect(channel).toBe(IPC_CHANNEL);
      sent.push(message);
    },
    isDestroyed: () => destroyed,
    once: (_event, listener) => (onDestroyed = listener),
  };
  const event: IpcEvent = { sender, senderFrame: { url, parent: null } };
  return {
    event,
    sent,
    destroy: () => {
      destroyed = true;
      onDestroyed();
    },
  };
}

const service = (active: Set<number>): ContractService =>
  contractService(
    {
      'engine.status': () => {
        throw new Error('not used');
      },
      'market.symbols': () => [{ symbol: 'SPY', name: 'SPDR S&P 500 ETF', kind: 'index-etf' }],
      'market.bars': () => [],
    },
    {
      'market.barsUpdated': () => {
        const token = active.size + 1;
        active.add(token);
        return () => active.delete(token);
      },
      'engine.statusChanged': () => () => undefined,
    },
  );

const trusted = (event: IpcEvent) => event.senderFrame?.url.startsWith('app://trm/') === true;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('IPC transport', () => {
  it('serves calls from the trusted page on the one channel', async () => {
    const { ipcMain, emit } = fakeIpcMain();
    serveIpc(ipcMain, { service: service(new Set()), log: createMemoryLogger(), isTrustedSender: trusted });
    const window = fakeWindow(1, 'app://trm/index.html');
    emit(window.event, { t: 'call', id: 1, method: 'market.symbols', params: {} });
    await settle();
    expect(window.sent).toEqual([
      {
        t: 'result',
        id: 1,
        ok: true,
        value: [{ symbol: 'SPY', name: 'SPDR S&P 500 ETF', kind: 'index-etf' }],
      },
    ]);
  });

  it('drops and logs messages from untrusted senders without answering them', async () => {
    const { ipcMain, emit } = fakeIpcMain();
    const log = createMemoryLogger();
    serveIpc(ipcMain, { service: service(new Set()), log, isTrustedSender: trusted });
    const intruder = fakeWindow(2, 'https://evil.example/');
    emit(intruder.event, { t: 'call', id: 1, method: 'market.symbols', params: {} });
    await settle();
    expect(intruder.sent).toEqual([]);
    expect(log.lines.some((line) => line.includes('untrusted sender (https://evil.example/)'))).toBe(true);
  });

  it('answers a malformed envelope with an error instead of crashing', async () => {
    const { ipcMain, emit } = fakeIpcMain();
    serveIpc(ipcMain, { service: service(new Set()), log: createMemoryLogger(), isTrustedSender: trusted });
    const window = fakeWindow(3, 'app://trm/index.html');
    emit(window.event, { t: 'call', id: -5 });
    await settle();
    expect(window.sent).toEqual([
      { t: 'error', error: expect.objectContaining({ code: 'BAD_MESSAGE' }) as unknown },
    ]);
  });

  it("stops a window's streams when the window is destroyed, and everything when serving stops", () => {
    const { ipcMain, emit, count } = fakeIpcMain();
    const active = new Set<number>();
    const stop = serveIpc(ipcMain, {
      service: service(active),
      log: createMemoryLogger(),
      isTrustedSender: trusted,
    });
    const a = fakeWindow(4, 'app://trm/index.html');
    const b = fakeWindow(5, 'app://trm/index.html');
    emit(a.event, { t: 'listen', id: 1, event: 'market.barsUpdated', arg: { symbols: ['SPY'] } });
    emit(b.event, { t: 'listen', id: 1, event: 'market.barsUpdated', arg: { symbols: ['SPY'] } });
    expect(active.size).toBe(2);
    a.destroy();
    expect(active.size).toBe(1);
    stop();
    expect(active.size).toBe(0);
    expect(count()).toBe(0);
  });
});

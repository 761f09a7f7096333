/**
 * The preload: exposes exactly the contract's message pipe (shared/bridge.ts) as `window.trm`, on one
 * fixed channel. The page never gets ipcRenderer; the main process validates every envelope it
 * receives, and the page's client validates every reply.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, IPC_CHANNEL, type TrmBridge } from '../shared/bridge';

const bridge: TrmBridge = {
  post(message) {
    ipcRenderer.send(IPC_CHANNEL, message);
  },
  onMessage(listener) {
    if (typeof listener !== 'function') throw new TypeError('trm.onMessage expects a function');
    const forward = (_event: IpcRendererEvent, message: unknown): void => listener(message);
    ipcRenderer.on(IPC_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);

/**
 * A workstation as the CLI finds it, for tests of `trm order`, `orders`, `positions` and `kill-switch`:
 * a contract service (a real engine's, or a test's) served on a loopback WebSocket on a free port, and
 * the runtime file beside `db` that points at it.
 */
import type { ContractService } from '../../../shared/api';
import { createMemoryLogger } from '../../platform/log';
import { writeRuntimeFile, type RuntimeFileHandle } from '../../platform/runtime-file';
import { startWebServer, type WebServer } from '../../transport/web-server';

export interface RunningWorkstation {
  server: WebServer;
  runtime: RuntimeFileHandle;
  /** Removes the runtime file and closes the server. */
  stop(): Promise<void>;
}

export async function serveWorkstation(
  service: ContractService,
  db: string,
  mode = 'demo',
): Promise<RunningWorkstation> {
  const server = await startWebServer({ service, port: 0, log: createMemoryLogger() });
  const runtime = writeRuntimeFile({
    pid: process.pid,
    url: `ws://127.0.0.1:${server.port}/ws`,
    token: server.token,
    mode,
    db,
    startedAt: Date.now(),
  });
  if (runtime === null) {
    await server.close();
    throw new Error(`another live workstation keeps the runtime file of ${db}`);
  }
  return {
    server,
    runtime,
    stop: async () => {
      runtime.remove();
      await server.close();
    },
  };
}

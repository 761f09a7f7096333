/**
 * The runtime file: how `trm order`, `trm orders`, `trm positions` and `trm kill-switch` find a running
 * workstation. While a workstation runs (`trm web`, the Electron app) it keeps `<database>.runtime.json`
 * beside the database its trading journal lives in, holding where its contract WebSocket listens and the
 * token it asks for:
 *
 *   { "pid": 4242, "url": "ws://127.0.0.1:7420/ws", "token": "…", "mode": "demo",
 *     "db": "/home/me/.config/TRM Workstation/demo.sqlite", "startedAt": 1764523537000 }
 *
 * The token lets whoever reads the file place orders, so the file is readable by its user only (mode
 * 0600, set when the file is created, before the token is in it) and appears whole (written to a temp
 * file, then renamed). It is removed on exit; a file left by a workstation that died (its pid is not
 * alive) is ignored and removed by the next reader.
 */
import { chmodSync, closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { defaultDataDir, defaultDemoDbPath, defaultMarketDbPath } from './paths';

export const RuntimeInfoSchema = z.object({
  /** The workstation's process id. */
  pid: z.number().int().positive(),
  /** Its contract WebSocket, e.g. ws://127.0.0.1:7420/ws (the token goes in the query when connecting). */
  url: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d{1,5}\/ws$/, 'a loopback ws:// address ending in /ws'),
  token: z.string().min(1).max(200),
  /** demo | replay | paper | live (kept as text: this file is read by older and newer `trm` alike). */
  mode: z.string().min(1).max(20),
  /** Absolute path of the database the workstation journals orders in. */
  db: z.string().min(1),
  /** When it started, epoch ms UTC. */
  startedAt: z.number().int().nonnegative(),
});
export type RuntimeInfo = z.infer<typeof RuntimeInfoSchema>;

/** The runtime file of the workstation journaling in `db`: `<absolute db path>.runtime.json`. */
export function runtimeFilePath(db: string): string {
  return `${resolve(db)}.runtime.json`;
}

/**
 * The database a workstation journals its orders in, and so where its runtime file goes: demo → the demo
 * database; replay → the market database it replays from (its own store is scratch); paper and live →
 * the market database. `db` is the --db given to the workstation, if any.
 */
export function journalDbPath(options: { mode: string; db?: string | undefined; dataDir?: string }): string {
  if (options.db !== undefined) return resolve(options.db);
  const dataDir = options.dataDir ?? defaultDataDir();
  return options.mode === 'demo' ? defaultDemoDbPath(dataDir) : defaultMarketDbPath(dataDir);
}

/** Whether process `pid` is alive (EPERM: alive, but another user's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RuntimeFileHandle {
  readonly path: string;
  readonly info: RuntimeInfo;
  /** Removes the file if it is still this workstation's (same pid and token). Idempotent, never throws. */
  remove(): void;
}

/** What readRuntimeFile found. */
export type RuntimeFileRead =
  | { kind: 'running'; path: string; info: RuntimeInfo }
  /** No file, or a stale one (removed now), or one that is not a runtime file (left alone). */
  | { kind: 'none'; path: string; removedStale: boolean; problem: string | null };

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already, or not ours to remove: either way there is nothing more to do.
  }
}

/**
 * Reads the runtime file next to `db`. A file whose pid is not alive is removed (the workstation died
 * without cleaning up) and reported as none; an unreadable or malformed one is reported with its problem.
 */
export function readRuntimeFile(db: string): RuntimeFileRead {
  const path = runtimeFilePath(db);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? null : `cannot read ${path}: ${(error as Error).message}`;
    return { kind: 'none', path, removedStale: false, problem };
  }
  let parsed: RuntimeInfo;
  try {
    parsed = RuntimeInfoSchema.parse(JSON.parse(text));
  } catch {
    return { kind: 'none', path, removedStale: false, problem: `${path} is not a TRM runtime file` };
  }
  if (!isProcessAlive(parsed.pid)) {
    removeQuietly(path);
    return { kind: 'none', path, removedStale: true, problem: null };
  }
  return { kind: 'running', path, info: parsed };
}

/**
 * Writes the runtime file for `info.db`, readable and writable by the user only: a temp file created with
 * mode 0600 (and chmod'ed to it, whatever the umask), then renamed over the runtime file, so a reader
 * never sees half a file or a moment of wider permissions. The file is removed when the process exits
 * ('exit' runs on a normal exit and on process.exit from a SIGINT/SIGTERM handler); the caller may also
 * remove it earlier through the handle.
 * @returns the handle, or null when another live workstation already keeps a runtime file there (it is
 *   left alone: the CLI keeps reaching that one)
 * @throws the file system's error when the file cannot be written
 */
export function writeRuntimeFile(info: RuntimeInfo): RuntimeFileHandle | null {
  const path = runtimeFilePath(info.db);
  const existing = readRuntimeFile(info.db);
  if (existing.kind === 'running' && existing.info.pid !== info.pid) return null;
  const temp = `${path}.${process.pid}.tmp`;
  removeQuietly(temp);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    chmodSync(temp, 0o600);
    writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    const now = readRuntimeFile(info.db);
    if (now.kind === 'running' && now.info.pid === info.pid && now.info.token === info.token) {
      removeQuietly(path);
    }
  };
  process.on('exit', remove);
  return { path, info, remove };
}

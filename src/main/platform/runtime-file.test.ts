import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  journalDbPath,
  readRuntimeFile,
  runtimeFilePath,
  writeRuntimeFile,
  type RuntimeInfo,
} from './runtime-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-runtime-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const info = (overrides: Partial<RuntimeInfo> = {}): RuntimeInfo => ({
  pid: process.pid,
  url: 'ws://127.0.0.1:7420/ws',
  token: 'secret-token',
  mode: 'demo',
  db: join(dir, 'demo.sqlite'),
  startedAt: 1_764_523_537_000,
  ...overrides,
});

/** A pid that is certainly not alive: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

const posix = process.platform !== 'win32';

describe('the runtime file', () => {
  it('is written next to the database, readable by its user only, whole, and read back', () => {
    const handle = writeRuntimeFile(info());
    expect(handle?.path).toBe(`${join(dir, 'demo.sqlite')}.runtime.json`);
    const path = runtimeFilePath(join(dir, 'demo.sqlite'));
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(info());
    // The temp file it was written through is gone (renamed into place).
    expect(readdirSync(dir)).toEqual(['demo.sqlite.runtime.json']);
    expect(readRuntimeFile(join(dir, 'demo.sqlite'))).toEqual({ kind: 'running', path, info: info() });
    handle?.remove();
  });

  it('is removed by remove(), but not when another workstation has written its own since', () => {
    const first = writeRuntimeFile(info())!;
    first.remove();
    expect(existsSync(first.path)).toBe(false);

    const second = writeRuntimeFile(info({ token: 'second' }))!;
    // Another live process (our parent) took the file over meanwhile: it is not ours to remove.
    writeFileSync(second.path, JSON.stringify(info({ pid: process.ppid, token: 'other' })), { mode: 0o600 });
    second.remove();
    expect(existsSync(second.path)).toBe(true);
  });

  it('of a workstation that died is ignored and removed by the next reader', () => {
    const db = join(dir, 'demo.sqlite');
    writeFileSync(runtimeFilePath(db), JSON.stringify(info({ pid: deadPid() })), { mode: 0o600 });
    expect(readRuntimeFile(db)).toEqual({
      kind: 'none',
      path: runtimeFilePath(db),
      removedStale: true,
      problem: null,
    });
    expect(existsSync(runtimeFilePath(db))).toBe(false);
    // A new workstation may then write its own.
    expect(writeRuntimeFile(info())).not.toBeNull();
  });

  it('is not overwritten while another live workstation keeps it; a file that is not one is reported', () => {
    const db = join(dir, 'demo.sqlite');
    const other = info({ pid: process.ppid, token: 'other' });
    writeFileSync(runtimeFilePath(db), JSON.stringify(other), { mode: 0o600 });
    expect(writeRuntimeFile(info())).toBeNull();
    expect(JSON.parse(readFileSync(runtimeFilePath(db), 'utf8'))).toEqual(other);

    writeFileSync(runtimeFilePath(db), '{"pid": "nope"}');
    const read = readRuntimeFile(db);
    expect(read.kind).toBe('none');
    expect(read.kind === 'none' && read.problem).toMatch(/is not a TRM runtime file/);
    expect(readRuntimeFile(join(dir, 'none.sqlite'))).toMatchObject({ kind: 'none', problem: null });
  });

  it('is removed when the process exits, normally or by a SIGTERM handled as trm web does', () => {
    const module = resolve(fileURLToPath(import.meta.url), '..', 'runtime-file.ts');
    const tsx = resolve(fileURLToPath(import.meta.url), '../../../../node_modules/.bin/tsx');
    for (const ending of [
      '',
      "process.on('SIGTERM', () => process.exit(0)); process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 5000);",
    ]) {
      const db = join(dir, 'child.sqlite');
      const script = join(dir, 'child.ts');
      writeFileSync(
        script,
        `import { existsSync } from 'node:fs';\nimport { writeRuntimeFile } from ${JSON.stringify(module)};\n` +
          `const h = writeRuntimeFile({ pid: process.pid, url: 'ws://127.0.0.1:1/ws', token: 't', mode: 'demo', ` +
          `db: ${JSON.stringify(db)}, startedAt: 0 });\n` +
          `if (h === null) process.exit(3);\nprocess.stdout.write(String(existsSync(h.path)));\n${ending}\n`,
      );
      const child = spawnSync(tsx, [script], { encoding: 'utf8', timeout: 30_000 });
      expect(child.status, child.stderr).toBe(0);
      expect(child.stdout).toBe('true'); // it was there while the process ran
      expect(existsSync(runtimeFilePath(db))).toBe(false);
    }
  }, 60_000);
});

describe('journalDbPath', () => {
  it('is the demo database in demo, the market database otherwise, or the --db given', () => {
    expect(journalDbPath({ mode: 'demo', dataDir: dir })).toBe(join(dir, 'demo.sqlite'));
    for (const mode of ['replay', 'paper', 'live'])
      expect(journalDbPath({ mode, dataDir: dir })).toBe(join(dir, 'market.sqlite'));
    expect(journalDbPath({ mode: 'replay', db: 'x.sqlite', dataDir: dir })).toBe(resolve('x.sqlite'));
  });
});

import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from './log';
import { loadWebToken, webTokenPath } from './web-token';

const posix = process.platform !== 'win32';
let dataDir: string;

beforeEach(() => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'trm-web-token-')), 'data');
});

afterEach(() => {
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

describe('loadWebToken', () => {
  it('creates a 24-byte base64url token in <dataDir>/web-token, readable by the user only', () => {
    const log = createMemoryLogger();
    const token = loadWebToken({ dataDir, log });
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(24);
    expect(readFileSync(webTokenPath(dataDir), 'utf8').trim()).toBe(token);
    if (posix) expect(statSync(webTokenPath(dataDir)).mode & 0o777).toBe(0o600);
    // No temporary file is left beside it, and the token never reaches the log.
    expect(readdirSync(dataDir)).toEqual(['web-token']);
    expect(log.lines.join('\n')).not.toContain(token);
  });

  it('gives every later start on the same data folder the same token, without a word in the log', () => {
    const first = loadWebToken({ dataDir, log: createMemoryLogger() });
    const log = createMemoryLogger();
    expect(loadWebToken({ dataDir, log })).toBe(first);
    expect(log.lines).toEqual([]);
  });

  it('gives another data folder another token', () => {
    const other = join(dataDir, '..', 'other');
    expect(loadWebToken({ dataDir, log: createMemoryLogger() })).not.toBe(
      loadWebToken({ dataDir: other, log: createMemoryLogger() }),
    );
  });

  it('rotates the token on demand and says so', () => {
    const first = loadWebToken({ dataDir, log: createMemoryLogger() });
    const log = createMemoryLogger();
    const rotated = loadWebToken({ dataDir, rotate: true, log });
    expect(rotated).not.toBe(first);
    expect(rotated).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(loadWebToken({ dataDir, log: createMemoryLogger() })).toBe(rotated);
    expect(log.lines.join('\n')).toMatch(/new web token.*old address are refused/);
    expect(log.lines.join('\n')).not.toContain(rotated);
  });

  it.skipIf(!posix)('replaces a token file others could read, and says so once', () => {
    const first = loadWebToken({ dataDir, log: createMemoryLogger() });
    chmodSync(webTokenPath(dataDir), 0o644);
    const log = createMemoryLogger();
    const replaced = loadWebToken({ dataDir, log });
    expect(replaced).not.toBe(first);
    expect(statSync(webTokenPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/WARN .*web-token had permissions 644, not 600.*replaced/);
    // The replacement is kept from then on.
    const quiet = createMemoryLogger();
    expect(loadWebToken({ dataDir, log: quiet })).toBe(replaced);
    expect(quiet.lines).toEqual([]);
  });

  it('replaces a token file with bad content, and says so once', () => {
    loadWebToken({ dataDir, log: createMemoryLogger() });
    writeFileSync(webTokenPath(dataDir), 'not a token\n', { mode: 0o600 });
    const log = createMemoryLogger();
    const token = loadWebToken({ dataDir, log });
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(webTokenPath(dataDir), 'utf8').trim()).toBe(token);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain('did not hold a well-formed token');
  });

  it.skipIf(!posix)('replaces a symbolic link instead of following it', () => {
    loadWebToken({ dataDir, log: createMemoryLogger() });
    const elsewhere = join(dataDir, '..', 'elsewhere');
    writeFileSync(elsewhere, `${'A'.repeat(32)}\n`, { mode: 0o600 });
    rmSync(webTokenPath(dataDir));
    symlinkSync(elsewhere, webTokenPath(dataDir));
    const log = createMemoryLogger();
    const token = loadWebToken({ dataDir, log });
    expect(token).not.toBe('A'.repeat(32));
    expect(log.lines[0]).toContain('is not a regular file');
    expect(readFileSync(elsewhere, 'utf8')).toBe(`${'A'.repeat(32)}\n`);
  });
});

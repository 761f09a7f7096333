/**
 * The web token kept per data folder: the secret a browser tab presents to `trm web` (`#token=…` in the
 * address). Kept in `<data folder>/web-token` so that every later start on that folder, in any mode,
 * accepts the tabs already open and they reconnect by themselves after a restart; `--new-token`
 * rotates it, and the tabs holding the old one are refused from then on.
 *
 * The file holds 24 random bytes as base64url (32 characters), is readable by its owner only (0600 on
 * POSIX) and is written through a temporary file and a rename, so a reader never sees half a token.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log';
import { defaultDataDir } from './paths';

export const WEB_TOKEN_FILE = 'web-token';

/** 24 random bytes in base64url: 32 characters of A-Z, a-z, 0-9, '-' and '_'. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** The token file of a data folder: `<dataDir>/web-token`. */
export function webTokenPath(dataDir = defaultDataDir()): string {
  return join(dataDir, WEB_TOKEN_FILE);
}

export interface WebTokenOptions {
  /** The data folder (default: `defaultDataDir()`, i.e. TRM_DATA_DIR or the user's data folder). */
  dataDir?: string;
  /** Issue a new token even when a good one is kept (`--new-token`). */
  rotate?: boolean;
  /** Told once when the token is created, rotated or replaced; never told the token itself. */
  log: Logger;
  /** The platform (parameter for tests): file permissions are checked on POSIX only. */
  platform?: NodeJS.Platform;
}

/**
 * The data folder's web token: the kept one when the file is a regular file of the current user with
 * mode 0600 holding a well-formed token; otherwise (missing, other permissions, a link, bad content) a new
 * one, written in its place; always a new one with `rotate`.
 * @returns the token (32 base64url characters)
 * @throws the file system's error when the data folder or the token file cannot be written
 */
export function loadWebToken(options: WebTokenOptions): string {
  const { log } = options;
  const dataDir = options.dataDir ?? defaultDataDir();
  const path = webTokenPath(dataDir);
  const posix = (options.platform ?? process.platform) !== 'win32';

  if (options.rotate) {
    const token = writeToken(dataDir, path, 'replace');
    log.info(`issued a new web token (${path}): browser tabs opened with the old address are refused`);
    return token;
  }

  const problem = keptTokenProblem(path, posix);
  if (problem === null) return readFileSync(path, 'utf8').trim();
  if (problem === 'missing') {
    const token = writeToken(dataDir, path, 'create');
    if (token !== null) return token;
    // Another start created it first; that one is good unless it is broken too.
    if (keptTokenProblem(path, posix) === null) return readFileSync(path, 'utf8').trim();
  } else {
    log.warn(
      `the web token file ${path} ${problem}: replaced it with a new token (open tabs need the new address)`,
    );
  }
  return writeToken(dataDir, path, 'replace');
}

/** Why the kept token cannot be used, in words for the log, or null when it can; 'missing' when absent. */
function keptTokenProblem(path: string, posix: boolean): string | null {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    return `could not be read (${(error as Error).message})`;
  }
  if (!stat.isFile()) return 'is not a regular file';
  if (posix) {
    if ((stat.mode & 0o777) !== 0o600)
      return `had permissions ${(stat.mode & 0o777).toString(8)}, not 600 (readable by you only)`;
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid())
      return 'belongs to another user';
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return `could not be read (${(error as Error).message})`;
  }
  return TOKEN_PATTERN.test(text.trim()) ? null : 'did not hold a well-formed token';
}

/**
 * Writes a fresh token through a temporary file (mode 0600, flushed): 'create' links it into place only
 * when no file is there (null when another process got there first), 'replace' renames it over any file.
 */
function writeToken(dataDir: string, path: string, how: 'create'): string | null;
function writeToken(dataDir: string, path: string, how: 'replace'): string;
function writeToken(dataDir: string, path: string, how: 'create' | 'replace'): string | null {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(24).toString('base64url');
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    // The umask may have taken bits away, never added: set the mode exactly.
    fchmodSync(fd, 0o600);
    writeSync(fd, `${token}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (how === 'replace') {
      renameSync(temp, path);
      return token;
    }
    try {
      // A hard link fails when the name exists: two starts at once agree on one token.
      linkSync(temp, path);
      return token;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return null;
      // File systems without hard links: a plain rename (the last of two racing starts wins).
      renameSync(temp, path);
      return token;
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

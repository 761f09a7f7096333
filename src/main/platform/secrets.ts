/**
 * Secrets at rest, and keeping them out of every log line and error message.
 *
 * A `SecretStore` keeps named secrets in files under `<data folder>/secrets/`:
 * - in Electron, encrypted with the operating system's key store through `safeStorage` (the only main
 *   file that may import electron, index.ts, injects it as an `OsCipher`);
 * - elsewhere (the web mode, `trm` commands), in a file only the user can read (mode 0600, in a folder
 *   of mode 0700), the way ~/.aws/credentials or ~/.netrc are kept. Encrypting with a key stored next
 *   to the file would add nothing, so we say plainly that it is not encrypted.
 *
 * Files are written to a temporary name and renamed, so a crash never leaves half a secret.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log';

/** Electron's `safeStorage`, as far as we use it. */
export interface OsCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /**
   * Linux only: the backend in use. `basic_text` means no key store was found and Electron would
   * "encrypt" with a fixed password, which protects nothing; we then keep a user-only file instead.
   */
  getSelectedStorageBackend?(): string;
}

export type SecretProtection = 'os-encryption' | 'user-only-file';

export interface SecretStore {
  readonly protection: SecretProtection;
  /** One plain sentence for the UI about how saved secrets are protected, naming the folder. */
  readonly note: string;
  /** The folder holding the secret files. */
  readonly dir: string;
  /** The stored value, or null when none is stored (or it cannot be read in this process: see note). */
  read(name: string): string | null;
  write(name: string, value: string): void;
  remove(name: string): void;
  /** Whether a secret exists that this process cannot decrypt (saved by the desktop app's key store). */
  hasUnreadable(name: string): boolean;
}

export interface SecretStoreOptions {
  /** The data folder; secrets go in its `secrets` subfolder. */
  dataDir: string;
  /** Electron's safeStorage when running in Electron; absent elsewhere. */
  cipher?: OsCipher | null;
  log?: Logger;
  platform?: NodeJS.Platform;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new RangeError(`not a secret name: ${name}`);
}

/** Writes `data` to `file` readable by the user only, atomically (temporary file, then rename). */
function writePrivateFile(file: string, data: string | Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data, { mode: 0o600 });
  chmodSync(temporary, 0o600); // the umask may have narrowed it further, never widened: make it exact
  renameSync(temporary, file);
}

function osCipherUsable(cipher: OsCipher | null | undefined): cipher is OsCipher {
  if (!cipher) return false;
  try {
    if (!cipher.isEncryptionAvailable()) return false;
    return cipher.getSelectedStorageBackend?.() !== 'basic_text';
  } catch {
    return false;
  }
}

/**
 * Opens the secret store of a data folder. With a usable OS cipher, secrets are encrypted; a secret
 * found in a user-only file (saved by the web mode) is moved into encrypted storage on first read.
 */
export function createSecretStore(options: SecretStoreOptions): SecretStore {
  const dir = join(options.dataDir, 'secrets');
  const platform = options.platform ?? process.platform;
  const cipher = osCipherUsable(options.cipher) ? options.cipher : null;
  const protection: SecretProtection = cipher ? 'os-encryption' : 'user-only-file';
  const encryptedFile = (name: string) => join(dir, `${name}.enc`);
  const plainFile = (name: string) => join(dir, `${name}.secret`);

  const ensureDir = (): void => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (platform !== 'win32') chmodSync(dir, 0o700);
  };

  const readPlain = (name: string): string | null => {
    const file = plainFile(name);
    if (!existsSync(file)) return null;
    if (platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
      // Someone widened the permissions; narrow them again rather than leave the secret readable.
      chmodSync(file, 0o600);
      options.log?.warn(`${file} was readable by other users; its permissions are now owner-only (0600)`);
    }
    return readFileSync(file, 'utf8');
  };

  const note =
    protection === 'os-encryption'
      ? `Saved keys are encrypted with your operating system's key store and kept in ${dir}.`
      : platform === 'win32'
        ? `Saved keys are kept unencrypted in your user profile folder (${dir}); the desktop app encrypts them with the operating system's key store.`
        : `Saved keys are kept unencrypted in a file only your user account can read (file mode 0600, in the folder ${dir} of mode 0700); the desktop app encrypts them with the operating system's key store.`;

  return {
    protection,
    note,
    dir,
    read(name) {
      checkName(name);
      if (cipher) {
        const file = encryptedFile(name);
        if (existsSync(file)) return cipher.decryptString(readFileSync(file));
        const plain = readPlain(name);
        if (plain !== null) {
          this.write(name, plain);
          rmSync(plainFile(name), { force: true });
        }
        return plain;
      }
      return readPlain(name);
    },
    write(name, value) {
      checkName(name);
      ensureDir();
      if (cipher) {
        writePrivateFile(encryptedFile(name), cipher.encryptString(value));
        rmSync(plainFile(name), { force: true });
      } else {
        writePrivateFile(plainFile(name), value);
      }
    },
    remove(name) {
      checkName(name);
      rmSync(plainFile(name), { force: true });
      // An encrypted copy is removed too: clearing keys must clear them wherever they were saved.
      rmSync(encryptedFile(name), { force: true });
    },
    hasUnreadable(name) {
      checkName(name);
      return !cipher && existsSync(encryptedFile(name));
    },
  };
}

const REDACTED = '[redacted]';
/** Shorter strings are not treated as secrets: replacing them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** `text` with every occurrence of each secret replaced by "[redacted]". */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * A logger that redacts the current secrets from every line before it is written. `secrets` is asked
 * on each line, so keys saved while running are covered too.
 */
export function redactingLogger(log: Logger, secrets: () => readonly (string | null | undefined)[]): Logger {
  const wrap =
    (write: (message: string) => void) =>
    (message: string): void =>
      write(redact(message, secrets()));
  return {
    debug: wrap((m) => log.debug(m)),
    info: wrap((m) => log.info(m)),
    warn: wrap((m) => log.warn(m)),
    error: wrap((m) => log.error(m)),
    child: (scope) => redactingLogger(log.child(scope), secrets),
  };
}

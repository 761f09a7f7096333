import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from './log';
import { createSecretStore, redact, redactingLogger, type OsCipher } from './secrets';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for Electron's safeStorage: reversible, and visibly not the plain text. */
function fakeCipher(backend = 'gnome_libsecret'): OsCipher {
  return {
    isEncryptionAvailable: () => true,
    encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((byte) => byte ^ 0x5a)),
    decryptString: (data) => Buffer.from(data.map((byte) => byte ^ 0x5a)).toString('utf8'),
    getSelectedStorageBackend: () => backend,
  };
}

const SECRET = 'super-secret-value-123';

describe('the secret store', () => {
  it('without the OS key store keeps a file only the user can read, and says so', () => {
    const store = createSecretStore({ dataDir: dir, platform: 'linux' });
    expect(store.protection).toBe('user-only-file');
    const folder = join(dir, 'secrets');
    // The note states the modes the test checks below: 0600 is the file's, 0700 the folder's.
    expect(store.note).toBe(
      `Saved keys are kept unencrypted in a file only your user account can read (file mode 0600, in the folder ${folder} of mode 0700); ` +
        "the desktop app encrypts them with the operating system's key store.",
    );
    store.write('alpaca-keys', SECRET);
    const file = join(folder, 'alpaca-keys.secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(store.read('alpaca-keys')).toBe(SECRET);
    expect(readdirSync(folder), 'no temporary file left behind').toEqual(['alpaca-keys.secret']);
    chmodSync(file, 0o644);
    expect(store.read('alpaca-keys')).toBe(SECRET);
    expect(statSync(file).mode & 0o777, 'widened permissions are narrowed again').toBe(0o600);
    store.remove('alpaca-keys');
    expect(store.read('alpaca-keys')).toBeNull();
  });

  it("with Electron's safeStorage encrypts at rest and moves a plain file into encrypted storage", () => {
    createSecretStore({ dataDir: dir }).write('alpaca-keys', SECRET);
    const store = createSecretStore({ dataDir: dir, cipher: fakeCipher() });
    expect(store.protection).toBe('os-encryption');
    expect(store.read('alpaca-keys')).toBe(SECRET);
    const encrypted = join(dir, 'secrets', 'alpaca-keys.enc');
    expect(existsSync(join(dir, 'secrets', 'alpaca-keys.secret'))).toBe(false);
    expect(readFileSync(encrypted).toString('utf8')).not.toContain(SECRET);
    // Outside Electron the encrypted copy cannot be read, and the store says it exists.
    const web = createSecretStore({ dataDir: dir });
    expect(web.read('alpaca-keys')).toBeNull();
    expect(web.hasUnreadable('alpaca-keys')).toBe(true);
  });

  it("treats Linux's basic_text backend (no key store: a fixed password) as no encryption", () => {
    expect(createSecretStore({ dataDir: dir, cipher: fakeCipher('basic_text') }).protection).toBe(
      'user-only-file',
    );
  });
});

describe('redaction', () => {
  it('removes every occurrence of each secret from text and from log lines', () => {
    expect(redact(`key PKABCDEF and ${SECRET}, again ${SECRET}`, ['PKABCDEF', SECRET, null, 'ab'])).toBe(
      'key [redacted] and [redacted], again [redacted]',
    );
    const log = createMemoryLogger();
    const safe = redactingLogger(log, () => [SECRET]);
    safe.error(`request failed: ${SECRET}`);
    safe.child('feed').warn(`echo ${SECRET}`);
    expect(log.lines.join('\n')).not.toContain(SECRET);
    expect(log.lines).toHaveLength(2);
  });
});

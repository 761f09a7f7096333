import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeysStatusSchema, type AlpacaKeys } from '../../shared/domain';
import { createSecretStore } from '../platform/secrets';
import { AlpacaKeysKeeper } from './keys-keeper';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SAVED: AlpacaKeys = { keyId: 'PKSAVED123456789', secret: 'savedSecret0123456789abcdef' };
const ENV = { APCA_API_KEY_ID: 'PKENVIRONMENT0001', APCA_API_SECRET_KEY: 'envSecret0123456789abcdefgh' };

const keeper = (env: Record<string, string> = {}) =>
  new AlpacaKeysKeeper({ secrets: createSecretStore({ dataDir: dir, platform: 'linux' }), env });

describe('the keys keeper', () => {
  it('saves keys encrypted or user-only, reports only a hint, and clears them', () => {
    const keys = keeper();
    expect(keys.status()).toMatchObject({
      configured: false,
      source: null,
      keyIdHint: null,
      storage: 'user-only-file',
    });
    // 0600 is the key file's mode; its folder's is 0700.
    expect(keys.status().storageNote).toMatch(
      /in a file only your user account can read \(file mode 0600, in the folder .*secrets of mode 0700\)/,
    );
    const status = keys.save(SAVED);
    expect(KeysStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({ configured: true, source: 'saved', keyIdHint: 'PKSA…' });
    const text = JSON.stringify(status);
    expect(text).not.toContain(SAVED.secret);
    expect(text).not.toContain(SAVED.keyId);
    expect(keeper().current(), 'saved keys survive a restart').toEqual(SAVED);
    expect(readFileSync(join(dir, 'secrets', 'alpaca-keys.secret'), 'utf8')).toContain(SAVED.keyId);
    expect(keys.clear()).toMatchObject({ configured: false, source: null });
    expect(keeper().current()).toBeNull();
  });

  it('lets the environment win over saved keys, and says so', () => {
    keeper().save(SAVED);
    const keys = keeper(ENV);
    expect(keys.current()).toEqual({ keyId: ENV.APCA_API_KEY_ID, secret: ENV.APCA_API_SECRET_KEY });
    expect(keys.status()).toMatchObject({ source: 'environment', keyIdHint: 'PKEN…' });
    expect(keys.status().storageNote).toMatch(
      /^Using APCA_API_KEY_ID and APCA_API_SECRET_KEY from the environment; they win/,
    );
    expect(keys.secretsToRedact()).toEqual(expect.arrayContaining([SAVED.secret, ENV.APCA_API_SECRET_KEY]));
  });

  it('tells when only half of the environment is set, and uses neither', () => {
    const keys = keeper({ APCA_API_KEY_ID: 'PKHALF0000000000' });
    expect(keys.current()).toBeNull();
    expect(keys.status().storageNote).toMatch(
      /APCA_API_KEY_ID is set in the environment but APCA_API_SECRET_KEY is not/,
    );
    expect(keys.secretsToRedact()).toContain('PKHALF0000000000');
  });

  it('tells listeners when saved keys change the keys in use', () => {
    const keys = keeper();
    const seen: (AlpacaKeys | null)[] = [];
    keys.onChange((k) => seen.push(k));
    keys.save(SAVED);
    keys.clear();
    expect(seen).toEqual([SAVED, null]);
    const withEnv = keeper(ENV);
    const ignored: unknown[] = [];
    withEnv.onChange((k) => ignored.push(k));
    withEnv.save(SAVED);
    expect(ignored, 'saved keys change nothing while the environment is in use').toEqual([]);
  });

  it('refuses malformed keys', () => {
    expect(() => keeper().save({ keyId: 'short', secret: 'x' })).toThrow();
  });
});

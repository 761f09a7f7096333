import { describe, expect, it } from 'vitest';
import { AlpacaKeysSchema } from '../../shared/domain';
import { checkKeysForm } from './keys-form';

const KEY_ID = 'PKABCDEFGH12345678';
const SECRET = 'abcdefghijklmnopqrstuvwxyz0123456789ABCD';

describe('the broker keys form', () => {
  it('accepts exactly what the contract accepts, trimmed as the contract trims', () => {
    expect(checkKeysForm(KEY_ID, SECRET).keys).toEqual({ keyId: KEY_ID, secret: SECRET });
    expect(checkKeysForm(` ${KEY_ID} `, SECRET).keys?.keyId).toBe(KEY_ID);
    for (const [keyId, secret] of [
      [KEY_ID, 'short'],
      ['PK-ABCDEFGH', SECRET],
      ['', SECRET],
      [KEY_ID, 'has a space in the middle of it'],
    ] as const) {
      const form = checkKeysForm(keyId, secret);
      expect(form.keys, `${keyId} / ${secret}`).toBeNull();
      expect(AlpacaKeysSchema.safeParse({ keyId, secret }).success).toBe(false);
    }
  });

  it('says what is wrong in plain words as the trader types, and nothing for an empty field', () => {
    expect(checkKeysForm('', '')).toEqual({ keyId: null, secret: null, keys: null });
    expect(checkKeysForm('PKAB', '').keyId).toBe('A key id has at least 8 characters');
    expect(checkKeysForm('PKAB-CDEF-GH', '').keyId).toBe('A key id is letters and digits');
    expect(checkKeysForm('', 'abc').secret).toBe('A secret has at least 16 characters');
    expect(checkKeysForm('', 'abcdefghijklmnop qrs').secret).toBe('A secret has no spaces');
  });
});

/**
 * The broker keys, held in the main process: taken from the environment (APCA_API_KEY_ID and
 * APCA_API_SECRET_KEY, which win) or saved from the UI into the secret store. Clients only ever see
 * `KeysStatus`; the keys themselves leave this object only through `current()`, for the feed and broker.
 */
import { AlpacaKeysSchema, type AlpacaKeys, type KeysStatus } from '../../shared/domain';
import type { SecretStore } from '../platform/secrets';
import type { KeysKeeper } from './ports';

const SECRET_NAME = 'alpaca-keys';
const ENV_KEY_ID = 'APCA_API_KEY_ID';
const ENV_SECRET = 'APCA_API_SECRET_KEY';
const NOTE_MAX = 500;

export interface AlpacaKeysKeeperOptions {
  secrets: SecretStore;
  /** Where APCA_API_KEY_ID and APCA_API_SECRET_KEY are read (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** "PKAB…": enough to tell two accounts apart, never enough to use. */
export function keyIdHint(keyId: string): string {
  return `${keyId.slice(0, 4)}…`;
}

export class AlpacaKeysKeeper implements KeysKeeper {
  private readonly listeners = new Set<(keys: AlpacaKeys | null) => void>();
  private readonly env: Readonly<Record<string, string | undefined>>;
  private saved: AlpacaKeys | null;

  constructor(private readonly options: AlpacaKeysKeeperOptions) {
    this.env = options.env ?? process.env;
    this.saved = this.readSaved();
  }

  /** The keys in use: the environment's when both variables are set, else the saved ones, else null. */
  current(): AlpacaKeys | null {
    return this.fromEnvironment() ?? this.saved;
  }

  /** Where the keys in use come from. */
  source(): KeysStatus['source'] {
    if (this.fromEnvironment()) return 'environment';
    return this.saved ? 'saved' : null;
  }

  /** Every key id and secret this keeper knows (environment and saved), for redacting logs and errors. */
  secretsToRedact(): string[] {
    const out: string[] = [];
    const env = this.fromEnvironment();
    for (const keys of [env, this.saved]) if (keys) out.push(keys.keyId, keys.secret);
    // A half-set environment still holds a secret worth hiding.
    for (const name of [ENV_KEY_ID, ENV_SECRET]) {
      const value = this.env[name]?.trim();
      if (value) out.push(value);
    }
    return out;
  }

  status(): KeysStatus {
    const keys = this.current();
    const source = this.source();
    return {
      configured: keys !== null,
      source,
      keyIdHint: keys ? keyIdHint(keys.keyId) : null,
      storage: this.options.secrets.protection,
      storageNote: this.note(source),
    };
  }

  save(given: AlpacaKeys): KeysStatus {
    const keys = AlpacaKeysSchema.parse(given);
    this.options.secrets.write(SECRET_NAME, JSON.stringify(keys));
    this.saved = keys;
    this.changed();
    return this.status();
  }

  clear(): KeysStatus {
    this.options.secrets.remove(SECRET_NAME);
    this.saved = null;
    this.changed();
    return this.status();
  }

  /** Calls `listener` with the keys in use whenever saving or clearing changes them; returns the stop. */
  onChange(listener: (keys: AlpacaKeys | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A sentence for a refusal: how to give keys, mentioning keys this process cannot read. */
  howToGiveKeys(): string {
    const unreadable = this.options.secrets.hasUnreadable(SECRET_NAME)
      ? ' (keys saved in the desktop app are encrypted with its operating-system key store and can be read only there)'
      : '';
    return (
      `set ${ENV_KEY_ID} and ${ENV_SECRET} in the environment, or save them under Broker keys in the window while the ` +
      `workstation runs (for example with --mode demo)${unreadable}`
    );
  }

  private changed(): void {
    // Saved keys change nothing while the environment's are in use.
    if (this.fromEnvironment()) return;
    const keys = this.current();
    for (const listener of this.listeners) listener(keys);
  }

  private fromEnvironment(): AlpacaKeys | null {
    const keyId = this.env[ENV_KEY_ID]?.trim();
    const secret = this.env[ENV_SECRET]?.trim();
    return keyId && secret ? { keyId, secret } : null;
  }

  private readSaved(): AlpacaKeys | null {
    let text: string | null;
    try {
      text = this.options.secrets.read(SECRET_NAME);
    } catch {
      return null; // undecryptable (another user's key store, a damaged file): as if none were saved
    }
    if (text === null) return null;
    try {
      const parsed = AlpacaKeysSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private note(source: KeysStatus['source']): string {
    const storage = this.options.secrets.note;
    let lead = '';
    if (source === 'environment') {
      lead = `Using ${ENV_KEY_ID} and ${ENV_SECRET} from the environment; they win over saved keys. `;
    } else {
      const half = [ENV_KEY_ID, ENV_SECRET].filter((name) => this.env[name]?.trim());
      if (half.length === 1) {
        const other = half[0] === ENV_KEY_ID ? ENV_SECRET : ENV_KEY_ID;
        lead = `${half[0]} is set in the environment but ${other} is not, so neither is used. `;
      }
    }
    const note = `${lead}${storage}`;
    return note.length <= NOTE_MAX ? note : `${note.slice(0, NOTE_MAX - 1)}…`;
  }
}

/**
 * What the renderer may know about the broker keys: whether there are any, where they come from and how
 * they are kept. Never the keys themselves (they stay in the main process).
 */
import { z } from 'zod';

export const KeysStatusSchema = z.object({
  configured: z.boolean(),
  /** Where the keys in use come from: the environment (APCA_API_KEY_ID...), saved in the app, or none. */
  source: z.enum(['environment', 'saved']).nullable(),
  /** The key id's first four characters and a mask (e.g. "PKAB…"), to tell accounts apart; null if none. */
  keyIdHint: z.string().max(16).nullable(),
  /** How saved keys are protected at rest. */
  storage: z.enum(['os-encryption', 'user-only-file']),
  /** One sentence for the UI about that protection (e.g. "a file readable by your user only: ..."). */
  storageNote: z.string().max(500),
});
export type KeysStatus = z.infer<typeof KeysStatusSchema>;

/** Alpaca key id and secret, as typed by the trader; validated loosely (Alpaca's formats change). */
export const AlpacaKeysSchema = z
  .object({
    keyId: z
      .string()
      .trim()
      .min(8)
      .max(128)
      .regex(/^[A-Za-z0-9]+$/, 'a key id is letters and digits'),
    secret: z.string().trim().min(16).max(256).regex(/^\S+$/, 'a secret has no spaces'),
  })
  .strict();
export type AlpacaKeys = z.infer<typeof AlpacaKeysSchema>;

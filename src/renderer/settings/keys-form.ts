/**
 * Checking the broker keys form as the trader types, with the contract's own AlpacaKeysSchema (so the
 * form accepts exactly what `settings.saveKeys` accepts), in plain words.
 */
import type { z } from 'zod';
import { AlpacaKeysSchema, type AlpacaKeys } from '../../shared/domain';

export interface KeysFormCheck {
  /** What is wrong with each field, or null (an empty field is not wrong yet, only incomplete). */
  keyId: string | null;
  secret: string | null;
  /** The keys to send, when both fields are valid. */
  keys: AlpacaKeys | null;
}

function firstProblem(label: string, error: z.ZodError): string {
  // Lengths first: "at least 8 characters" says more than a pattern to someone halfway through typing.
  const issue = error.issues.find((i) => i.code === 'too_small' || i.code === 'too_big') ?? error.issues[0];
  if (!issue) return `${label} is not valid`;
  if (issue.code === 'too_small') return `${label} has at least ${String(issue.minimum)} characters`;
  if (issue.code === 'too_big') return `${label} has at most ${String(issue.maximum)} characters`;
  const text = issue.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function checkKeysForm(keyId: string, secret: string): KeysFormCheck {
  const idCheck = AlpacaKeysSchema.shape.keyId.safeParse(keyId);
  const secretCheck = AlpacaKeysSchema.shape.secret.safeParse(secret);
  const all = AlpacaKeysSchema.safeParse({ keyId, secret });
  return {
    keyId: keyId.length === 0 || idCheck.success ? null : firstProblem('A key id', idCheck.error),
    secret: secret.length === 0 || secretCheck.success ? null : firstProblem('A secret', secretCheck.error),
    keys: all.success ? all.data : null,
  };
}

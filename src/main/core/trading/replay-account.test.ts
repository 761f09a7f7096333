import { describe, expect, it } from 'vitest';
import { isReplayAccount, replayAccount, replayAccountsNewestFirst } from './replay-account';

const RUN = Date.UTC(2026, 10, 30, 18, 23, 43, 999);

describe('replay accounts', () => {
  it('keys a run by its start in UTC to the second, the first free second when that one is taken', () => {
    expect(replayAccount(RUN)).toBe('replay:2026-11-30T18:23:43Z');
    const taken = ['replay:2026-11-30T18:23:43Z', 'replay:2026-11-30T18:23:44Z'];
    expect(replayAccount(RUN, taken)).toBe('replay:2026-11-30T18:23:45Z');
    expect(() => replayAccount(Number.NaN)).toThrow(RangeError);
  });

  it('knows replay accounts (the legacy plain "replay" too) and sorts runs newest first', () => {
    expect(
      ['demo', 'replay', 'replay:2026-01-01T00:00:00Z', 'alpaca-paper', 'replayed'].map(isReplayAccount),
    ).toEqual([false, true, true, false, false]);
    const runs = [
      'replay:2026-11-30T18:23:43Z',
      'demo',
      'replay',
      'replay:2027-01-02T03:04:05Z',
      'replay:2026-02-01T00:00:00Z',
    ];
    expect(replayAccountsNewestFirst(runs)).toEqual([
      'replay:2027-01-02T03:04:05Z',
      'replay:2026-11-30T18:23:43Z',
      'replay:2026-02-01T00:00:00Z',
      'replay',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { ModeError, checkModeOptions } from './mode-choice';

describe('mode choice', () => {
  it('refuses an option the mode cannot honour, saying which mode to use instead', () => {
    expect(() => checkModeOptions('paper', { speed: 60 })).toThrow(ModeError);
    expect(() => checkModeOptions('paper', { speed: 60 })).toThrow(
      /--speed does not apply to paper mode.*--mode demo .*--mode replay/,
    );
    expect(() => checkModeOptions('demo', { from: 1 })).toThrow(
      /--from does not apply to demo mode.*--mode replay/,
    );
    expect(() => checkModeOptions('replay', { seed: 3 })).toThrow(/--seed .*--mode demo/);
    expect(() => checkModeOptions('demo', { bars: '1D' })).toThrow(
      /--bars does not apply to demo mode: it picks whether a replay plays minute or daily bars. Use --mode replay/,
    );
    expect(() => checkModeOptions('live', { fresh: true })).toThrow(/--fresh/);
    expect(() => checkModeOptions('demo', { alpaca: { symbols: ['SPY'] } })).toThrow(
      /--symbols and --feed do not apply to demo mode.*--mode paper/,
    );
  });

  it('accepts what each mode takes', () => {
    expect(() => checkModeOptions('demo', { seed: 1, speed: 'max', start: 0, fresh: true })).not.toThrow();
    expect(() => checkModeOptions('replay', { from: 0, to: 1, speed: 10, bars: '1D' })).not.toThrow();
    expect(() => checkModeOptions('paper', { fresh: false })).not.toThrow();
  });
});

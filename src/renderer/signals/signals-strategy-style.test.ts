/** strategy-style.ts: every strategy named as core names it, told apart on a chart. */
import { describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- a test: the window's names checked against core's one list
import { STRATEGIES } from '../../main/core/signals/strategies';
import { BASELINE_IDS, STRATEGY_IDS } from '../../shared/domain';
import { STRATEGY_ROWS, STRATEGY_STYLE, baselineName } from './strategy-style';

describe('strategy names and colours', () => {
  it('names each strategy exactly as core/signals/strategies.ts does, in probability order', () => {
    expect(STRATEGY_ROWS.map((row) => row.id)).toEqual([...STRATEGY_IDS]);
    for (const strategy of STRATEGIES)
      expect(STRATEGY_STYLE[strategy.id].name, strategy.id).toBe(strategy.name);
  });

  it('gives every strategy its own colour and a marker text of at most 5 characters', () => {
    const styles = Object.values(STRATEGY_STYLE);
    expect(new Set(styles.map((s) => s.color)).size).toBe(STRATEGY_IDS.length);
    expect(new Set(styles.map((s) => s.short)).size).toBe(STRATEGY_IDS.length);
    for (const style of styles) expect(style.short.length, style.name).toBeLessThanOrEqual(5);
  });

  it('names every baseline of the contract, and shows an unknown one as sent', () => {
    for (const id of BASELINE_IDS) expect(baselineName(id), id).not.toBe(id);
    expect(baselineName('momentum_12_1')).toBe('momentum_12_1');
  });
});

/** strategy-style.ts: every strategy named as the contract names it, told apart on a chart. */
import { describe, expect, it } from 'vitest';
import { BASELINE_IDS, STRATEGY_IDS, STRATEGY_NAMES } from '../../shared/domain';
import { STRATEGY_ROWS, STRATEGY_STYLE, baselineName } from './strategy-style';

describe('strategy names and colours', () => {
  it('lists the strategies in probability order, each with its contract name', () => {
    expect(STRATEGY_ROWS.map((row) => row.id)).toEqual([...STRATEGY_IDS]);
    for (const id of STRATEGY_IDS) expect(STRATEGY_STYLE[id].name, id).toBe(STRATEGY_NAMES[id]);
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

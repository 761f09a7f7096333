/** probability-bars.ts: bar widths, the heat strip's shading and the contribution bars. */
import { describe, expect, it } from 'vitest';
import { STRATEGY_IDS } from '../../shared/domain';
import {
  contributionBars,
  heatOpacity,
  pickProbability,
  probabilityRows,
  topIndex,
} from './probability-bars';

const PROBS = [0.05, 0.1, 0.05, 0.4, 0.2, 0.1, 0.05, 0.05];

describe('the strategy bars', () => {
  it('draws one bar per strategy in contract order, as wide as its probability, the pick marked', () => {
    const rows = probabilityRows(PROBS, 'balanced_growth');
    expect(rows.map((r) => r.id)).toEqual([...STRATEGY_IDS]);
    expect(rows[3]).toMatchObject({ id: 'balanced_growth', widthPct: 40, pick: true });
    expect(rows.filter((r) => r.pick)).toHaveLength(1);
    expect(rows[0]!.widthPct).toBeCloseTo(5);
  });

  it('marks the engine’s pick even where it is not the largest probability (the window recomputes nothing)', () => {
    const rows = probabilityRows(PROBS, 'defensive');
    expect(rows.find((r) => r.pick)?.id).toBe('defensive');
    expect(pickProbability(PROBS, 'defensive')).toBe(0.1);
  });

  it('keeps bars inside the track when a value is out of range or missing', () => {
    const rows = probabilityRows([1.2, -0.1, Number.NaN], 'ultra_defensive');
    expect(rows.map((r) => r.widthPct)).toEqual([100, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('finds each cycle’s top answer, the first of equals', () => {
    expect(topIndex(PROBS)).toBe(3);
    expect(topIndex([0.3, 0.3, 0.1])).toBe(0);
  });

  it('shades the heat strip darker for higher probabilities, never invisible', () => {
    expect(heatOpacity(0)).toBeGreaterThan(0);
    expect(heatOpacity(0.1)).toBeLessThan(heatOpacity(0.2));
    expect(heatOpacity(1)).toBeCloseTo(1);
  });
});

describe('the contribution bars', () => {
  it('orders features by the size of their effect, scaled so the largest fills half the track', () => {
    const bars = contributionBars([
      { id: 'vix_level', z: 1.5, delta: -0.02 },
      { id: 'breadth', z: -0.4, delta: 0.08 },
      { id: 'volume_ratio', z: 0, delta: 0 },
    ]);
    expect(bars.map((b) => b.id)).toEqual(['breadth', 'vix_level', 'volume_ratio']);
    expect(bars.map((b) => b.direction)).toEqual(['toward', 'away', 'none']);
    expect(bars.map((b) => b.widthPct)).toEqual([100, 25, 0]);
  });

  it('draws nothing but zero-length bars when no feature moved the pick', () => {
    expect(contributionBars([{ id: 'breadth', z: null, delta: 0 }])[0]!.widthPct).toBe(0);
    expect(contributionBars([])).toEqual([]);
  });
});

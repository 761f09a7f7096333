/** message-budget.ts: lists cut to fit the contract's message limit. */
import { describe, expect, it } from 'vitest';
import { newestWithinMessageBudget, withinMessageBudget } from './message-budget';

describe('withinMessageBudget', () => {
  it('cuts items into runs whose JSON stays within the budget, in order, none empty', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ i, text: 'x'.repeat(90) }));
    const size = JSON.stringify(items[0]).length + 1;
    const runs = withinMessageBudget(items, size * 4 + 2);
    expect(runs.map((run) => run.length)).toEqual([4, 4, 2]);
    expect(runs.flat()).toEqual(items);
    for (const run of runs) expect(JSON.stringify(run).length).toBeLessThanOrEqual(size * 4 + 2);
  });

  it('keeps an item larger than the budget in a run of its own, and answers one empty run for none', () => {
    const big = { text: 'y'.repeat(500) };
    expect(withinMessageBudget([big, { text: 'z' }], 100)).toEqual([[big], [{ text: 'z' }]]);
    expect(withinMessageBudget([], 100)).toEqual([[]]);
  });
});

describe('newestWithinMessageBudget', () => {
  it('keeps the newest items that fit, oldest first, and at least the newest one', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ i, text: 'x'.repeat(90) }));
    const size = JSON.stringify(items[0]).length + 1;
    expect(newestWithinMessageBudget(items, size * 3 + 2)).toEqual(items.slice(7));
    expect(newestWithinMessageBudget(items, 10)).toEqual(items.slice(9));
    expect(newestWithinMessageBudget(items)).toEqual(items);
  });
});

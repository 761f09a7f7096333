import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STRATEGY_IDS } from '../../../shared/domain';
import { panelOf } from '../../test-support/panel-of';
import type { DailyPanel } from './daily-panel';
import { DEFAULT_HORIZON, forwardScores, labelAt, labelSeries } from './labels';
import { STRATEGY_SYMBOLS } from './strategies';

const flat = (n: number): number[] => new Array<number>(n).fill(100);

/** All strategy symbols flat at 100, with the given closes overriding. */
function strategyPanel(close: Record<string, number[]>, n: number): DailyPanel {
  return panelOf({ close: { ...Object.fromEntries(STRATEGY_SYMBOLS.map((s) => [s, flat(n)])), ...close } });
}

describe('forward scores and labels', () => {
  // Rows 1..3: SPY +1 %, −2 %, +3 %; TLT +2 %, +1 %, 0; everything else flat.
  const panel = strategyPanel(
    { SPY: [100, 101, 98.98, 101.9494, 101.9494], TLT: [100, 102, 103.02, 103.02, 103.02] },
    5,
  );

  it('scores each strategy by mean / sd of its daily returns over the next `horizon` rows', () => {
    const scores = forwardScores(panel, 0, 3)!;
    // Any SPY-only mix (SPY weight w, other risky assets flat): mean = w·0.02/3, sd = w·sd(.01, −.02, .03).
    const spyMean = 0.02 / 3;
    const spySd = Math.sqrt(((0.01 - spyMean) ** 2 + (-0.02 - spyMean) ** 2 + (0.03 - spyMean) ** 2) / 2);
    expect(scores[1]).toBeCloseTo(spyMean / spySd, 10); // defensive: SPY .2
    expect(scores[6]).toBeCloseTo(spyMean / spySd, 10); // max_growth: SPY .15, QQQ/IWM flat
    expect(scores[0]).toBeCloseTo(0, 12); // ultra_defensive holds no SPY nor TLT
    // tactical_opportunity: TLT .4 → .008, .004, 0: mean .004, sd .004.
    expect(scores[7]).toBeCloseTo(1, 10);
    expect(labelAt(panel, 0, 3)).toBe(STRATEGY_IDS.indexOf('tactical_opportunity'));
  });

  it('floors the sd so that a tiny steady gain does not win by dividing by almost nothing', () => {
    const n = 6;
    const shy = Array.from({ length: n }, (_, k) => 100 * 1.0001 ** k);
    const scores = forwardScores(strategyPanel({ SHY: shy }, n), 0, 5)!;
    // ultra_defensive: SHY .5 → 0.00005 per day, sd 0 → 0.00005 / 0.0005 = 0.1; defensive SHY .3 → 0.06.
    expect(scores[0]).toBeCloseTo(0.1, 9);
    expect(scores[1]).toBeCloseTo(0.06, 9);
    expect(scores[7]).toBeCloseTo(0.04, 9);
  });

  it('has no label where fewer than `horizon` rows follow, or where a return in the window is missing', () => {
    expect(forwardScores(panel, 2, 3)).toBeNull();
    expect(labelAt(panel, 1, 3)).not.toBeNull();
    expect(labelAt(panel, 2, 3)).toBeNull();
    const gap = strategyPanel({ EFA: [100, 100, Number.NaN, 100, 100, 100] }, 6);
    expect(labelAt(gap, 0, 3)).toBeNull(); // window rows 1..3 hold EFA's missing returns
    expect(labelAt(gap, 2, 3)).toBeNull(); // rows 3..5: close 2 is missing, so row 3 has no return either
    expect(labelAt(gap, 3, 2)).not.toBeNull(); // rows 4..5 are whole
    expect([...labelSeries(gap, 2)]).toEqual([-1, -1, -1, 0, -1, -1]);
  });

  it('never looks further than `horizon` rows ahead', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 16, maxLength: 16 }),
        fc.array(fc.double({ min: 50, max: 150, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (spyReturns, later) => {
          const n = 16;
          const spy = [100];
          for (let k = 1; k < n; k++) spy.push(spy[k - 1]! * (1 + spyReturns[k]!));
          const gld = spy.map((c, k) => 100 + ((k * 7) % 5) - c / 100);
          const before = labelSeries(strategyPanel({ SPY: spy, GLD: gld }, n), 4);
          // Change every close after row 11: labels at rows ≤ 7 (windows end at row ≤ 11) must not move.
          const spy2 = [...spy.slice(0, 12), ...later];
          const gld2 = [...gld.slice(0, 12), ...later.map((c) => c + 1)];
          const after = labelSeries(strategyPanel({ SPY: spy2, GLD: gld2 }, n), 4);
          expect([...after.slice(0, 8)]).toEqual([...before.slice(0, 8)]);
        },
      ),
    );
  });

  it('refuses a horizon below 1 and a row outside the panel', () => {
    expect(() => labelAt(panel, 0, 0)).toThrow(/horizon/);
    expect(() => labelAt(panel, 5, 1)).toThrow(/outside/);
  });
});

const DAILY = join(import.meta.dirname, '../../../../../shared/data/daily');
const hasData = existsSync(DAILY);

/** A panel on SPY's dates from `first` on, read with csv-parse (not the product's panel builder). */
function realPanel(symbols: readonly string[], first: string): DailyPanel {
  const read = (symbol: string): Map<string, number> => {
    const rows = parse<{ Date: string; Close: string }>(
      readFileSync(join(DAILY, `${symbol.toLowerCase()}.csv`)),
      {
        columns: true,
      },
    );
    return new Map(rows.map((r) => [r.Date, Number(r.Close)]));
  };
  const bySymbol = new Map(symbols.map((s) => [s, read(s)]));
  const dates = [...bySymbol.get('SPY')!.keys()].filter((d) => d >= first).sort();
  return panelOf({
    dates,
    close: Object.fromEntries(
      symbols.map((s) => [s, dates.map((d) => bySymbol.get(s)!.get(d) ?? Number.NaN)]),
    ),
  });
}

describe.skipIf(!hasData)(
  `labels on ../shared/data/daily${hasData ? '' : ' (skipped: ../shared/data is not here)'}`,
  () => {
    it('prints the label distribution at the default horizon (every class occurs)', () => {
      const panel = realPanel(['SPY', ...STRATEGY_SYMBOLS.filter((s) => s !== 'SPY')], '2004-11-18');
      const labels = labelSeries(panel, DEFAULT_HORIZON);
      const counts = new Array<number>(STRATEGY_IDS.length).fill(0);
      let labelled = 0;
      for (const label of labels) {
        if (label < 0) continue;
        counts[label]!++;
        labelled++;
      }
      const lines = STRATEGY_IDS.map(
        (id, k) =>
          `${id.padEnd(22)} ${String(counts[k]).padStart(5)}  ${((100 * counts[k]!) / labelled).toFixed(1)} %`,
      );
      console.log(
        `labels, horizon ${DEFAULT_HORIZON}, ${labelled} of ${labels.length} rows:\n${lines.join('\n')}`,
      );
      expect(labelled).toBeGreaterThan(4000);
      for (const count of counts) expect(count).toBeGreaterThan(0);
    });
  },
);

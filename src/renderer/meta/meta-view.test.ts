/** meta-view.ts: the meta-score's parts as signed bars, the regime forecast, and the weights form's checks. */
import { describe, expect, it } from 'vitest';
import { MetaScoreSchema, type MetaScore } from '../../shared/domain';
import {
  componentRows,
  formatVolatility,
  parseWeights,
  regimeRows,
  scoreText,
  weightTexts,
} from './meta-view';

const META: MetaScore = MetaScoreSchema.parse({
  symbol: 'SPY',
  time: Date.UTC(2024, 2, 1, 15),
  score: -0.12,
  components: { micro: null, technical: 0.4, sentiment: -0.6, regime: 0 },
  weights: { micro: 0.25, technical: 0.25, sentiment: 0.25, regime: 0.25 },
  regime: {
    barStart: Date.UTC(2024, 2, 1, 14, 30),
    current: 'normal',
    volatility: 0.183,
    forecastVolatility: 0.2,
    next: [0.2, 0.5, 0.3],
    nextRegime: 'normal',
  },
  gate: { open: true, reason: null },
});

describe('the meta panel', () => {
  it('draws each part from the centre by its sign, and says why a missing one is missing', () => {
    const rows = componentRows(META);
    expect(rows.map((r) => [r.id, r.text, r.side, r.widthPct])).toEqual([
      ['micro', '—', 'none', 0],
      ['technical', '+0.40', 'positive', 20],
      ['sentiment', '−0.60', 'negative', 30],
      ['regime', '0.00', 'none', 0],
    ]);
    expect(rows[0]?.missing).toBe('no quotes');
    expect(rows[1]?.missing).toBeNull();
    expect(rows[1]?.weight).toBe('0.25');
    expect(scoreText(META)).toBe('−0.12');
    expect(scoreText({ ...META, score: null })).toBe('—');
  });

  it('lists the next session’s regime probabilities with the likeliest marked', () => {
    const regime = META.regime;
    if (regime === null) throw new Error('fixture has a regime');
    expect(regimeRows(regime).map((r) => [r.id, r.pct, r.likeliest])).toEqual([
      ['calm', '20 %', false],
      ['normal', '50 %', true],
      ['stressed', '30 %', false],
    ]);
    expect(formatVolatility(0.183)).toBe('18.3 %');
  });

  it('accepts weights from 0 to 1 (a comma too) and names each field that is not one', () => {
    expect(parseWeights({ micro: '0', technical: '0,5', sentiment: '1', regime: '.25' })).toEqual({
      weights: { micro: 0, technical: 0.5, sentiment: 1, regime: 0.25 },
    });
    const bad = parseWeights({ micro: 'x', technical: '2', sentiment: '', regime: '0.1' });
    expect(bad).toEqual({
      fields: {
        micro: 'Micro: type a number from 0 to 1',
        technical: 'Technical: must be from 0 to 1',
        sentiment: 'Sentiment: type a number from 0 to 1',
      },
      overall: null,
    });
  });

  it('refuses all-zero weights with the contract’s own words', () => {
    expect(parseWeights({ micro: '0', technical: '0', sentiment: '0', regime: '0' })).toEqual({
      fields: {},
      overall: 'at least one weight must be above 0',
    });
  });

  it('fills the form with the weights in force', () => {
    expect(weightTexts(META.weights)).toEqual({
      micro: '0.25',
      technical: '0.25',
      sentiment: '0.25',
      regime: '0.25',
    });
  });
});

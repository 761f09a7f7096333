/** format.ts: the strategy views' numbers, never 'NaN'. */
import { describe, expect, it } from 'vitest';
import {
  MISSING,
  formatDecisionDate,
  formatEta,
  formatMetric,
  formatPercent,
  formatPoints,
  formatValue,
  formatZ,
  isoSessionDate,
} from './format';

describe('formatting the strategy views', () => {
  it('shows shares as percentages and a missing value as a dash', () => {
    expect(formatPercent(0.372)).toBe('37.2 %');
    expect(formatPercent(0.5, 0)).toBe('50 %');
    expect(formatPercent(null)).toBe(MISSING);
    expect(formatPercent(Number.NaN)).toBe(MISSING);
  });

  it('signs z-scores and contributions, with no sign on zero', () => {
    expect(formatZ(1.234)).toBe('+1.23');
    expect(formatZ(-0.5)).toBe('−0.50');
    expect(formatZ(0.001)).toBe('0.00');
    expect(formatZ(null)).toBe(MISSING);
    expect(formatPoints(0.042)).toBe('+4.2 pp');
    expect(formatPoints(-0.1)).toBe('−10.0 pp');
    expect(formatPoints(-0.0001)).toBe('0.0 pp');
  });

  it('shows a feature value with up to 4 significant digits and its unit', () => {
    expect(formatValue(18.5, 'index points')).toBe('18.5 index points');
    expect(formatValue(0.012345, '')).toBe('0.01235');
    expect(formatValue(12, '%')).toBe('12 %');
    expect(formatValue(152345.6, 'shares')).toBe('152,346 shares');
    expect(formatValue(null, '%')).toBe(MISSING);
  });

  it('shows metrics as the report does: fractions in percent, drawdown as a fall, ratios to 2 decimals', () => {
    expect(formatMetric('cagr', 0.0712)).toBe('7.1 %');
    expect(formatMetric('max_drawdown', 0.33)).toBe('−33.0 %');
    expect(formatMetric('sharpe', 0.8234)).toBe('0.82');
    expect(formatMetric('turnover', 1.8)).toBe('1.80');
    expect(formatMetric('vol', Number.POSITIVE_INFINITY)).toBe(MISSING);
  });

  it('says time left as a person would', () => {
    expect(formatEta(12_400)).toBe('12 s');
    expect(formatEta(185_000)).toBe('3 min');
    expect(formatEta(3_900_000)).toBe('1 h 05 min');
    expect(formatEta(null)).toBe(MISSING);
  });

  it('names a decision bar by its New York session date', () => {
    // 2025-03-14 09:30 New York (EDT, UTC−4) = 13:30 UTC.
    const open = Date.UTC(2025, 2, 14, 13, 30);
    expect(formatDecisionDate(open)).toBe('Fri 14 Mar 2025');
    expect(isoSessionDate(open)).toBe('2025-03-14');
  });
});

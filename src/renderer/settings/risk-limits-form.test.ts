import { describe, expect, it } from 'vitest';
import type { RiskLimits } from '../../shared/domain';
import { formatDenial } from '../trading/trading-format';
import { LIMIT_FIELDS, LIMIT_LABEL, checkLimits, limitTexts } from './risk-limits-form';

const LIMITS: RiskLimits = {
  maxOrderNotional: 50_000,
  maxPositionNotional: 100_000,
  maxGrossExposure: 250_000,
  maxDailyLoss: 5_000,
  maxOrdersPerMinute: 30,
  priceBand: 0.1,
};

describe('risk limits form', () => {
  it('shows the limits as typed numbers, the band in percent, and reads them back unchanged', () => {
    const texts = limitTexts(LIMITS);
    expect(texts.priceBand).toBe('10');
    expect(texts.maxOrderNotional).toBe('50000');
    expect(checkLimits(texts)).toEqual({ ok: true, limits: LIMITS });
  });

  it('accepts money written with a dollar sign and thousands commas', () => {
    const check = checkLimits({ ...limitTexts(LIMITS), maxOrderNotional: '$1,000' });
    expect(check.ok && check.limits.maxOrderNotional).toBe(1000);
  });

  it('names each wrong field in plain words and lets nothing through', () => {
    const check = checkLimits({
      ...limitTexts(LIMITS),
      maxOrderNotional: '0',
      maxDailyLoss: 'lots',
      maxOrdersPerMinute: '2.5',
      priceBand: '150',
    });
    expect(check).toEqual({
      ok: false,
      errors: {
        maxOrderNotional: 'a number above 0',
        maxDailyLoss: 'a number',
        maxOrdersPerMinute: 'a whole number',
        priceBand: 'at most 100 %',
      },
    });
  });

  it('refuses an empty field', () => {
    const check = checkLimits({ ...limitTexts(LIMITS), maxGrossExposure: ' ' });
    expect(check.ok).toBe(false);
    expect(!check.ok && check.errors.maxGrossExposure).toBe('a number');
  });

  it('calls each limit what the ticket’s refusal calls it, with the rule id', () => {
    expect(LIMIT_LABEL.maxOrderNotional.label).toBe('Largest order');
    for (const field of LIMIT_FIELDS) {
      const { label, rule } = LIMIT_LABEL[field];
      expect(formatDenial({ rule, message: `${rule}: over` })).toBe(`${label} (${rule}): over`);
    }
  });
});

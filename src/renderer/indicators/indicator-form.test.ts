import { describe, expect, it } from 'vitest';
import { IndicatorSchema, type Indicator } from '../../shared/domain';
import {
  INDICATOR_KINDS,
  MAX_PANE_INDICATORS,
  addBlockedReason,
  initialFields,
  newIndicatorId,
  readIndicatorForm,
} from './indicator-form';
import { formatIndicatorValues, indicatorLabel, indicatorStyles } from './indicator-style';

describe('readIndicatorForm', () => {
  it('the defaults are SMA 20, EMA 20, BB 20 2, VWAP, RSI 14, MACD 12 26 9, each valid for the workspace', () => {
    const labels = INDICATOR_KINDS.map((kind) => {
      const { indicator } = readIndicatorForm(kind, initialFields(kind), `${kind}-1`);
      expect(IndicatorSchema.safeParse(indicator).success).toBe(true);
      return indicator === null ? null : indicatorLabel(indicator);
    });
    expect(labels).toEqual(['SMA 20', 'EMA 20', 'BB 20 2', 'VWAP', 'RSI 14', 'MACD 12 26 9']);
  });

  it('says what is wrong with a typed period, as it is typed', () => {
    expect(readIndicatorForm('sma', { period: '' }, 'x').problem).toMatch(/whole number from 1 to 1000/);
    expect(readIndicatorForm('sma', { period: '0' }, 'x').problem).toMatch(/period/);
    expect(readIndicatorForm('rsi', { period: '14.5' }, 'x').problem).toMatch(/whole number/);
    expect(readIndicatorForm('ema', { period: '1001' }, 'x').problem).toMatch(/1000/);
    expect(readIndicatorForm('bollinger', { period: '20', deviations: '-1' }, 'x').problem).toMatch(
      /std devs/,
    );
    expect(readIndicatorForm('bollinger', { period: '20', deviations: '2.5' }, 'x').indicator).toEqual({
      id: 'x',
      kind: 'bollinger',
      period: 20,
      deviations: 2.5,
    });
  });

  it('MACD needs its fast average shorter than its slow one', () => {
    expect(readIndicatorForm('macd', { fast: '26', slow: '12', signal: '9' }, 'x').problem).toMatch(
      /fast must be shorter than slow/,
    );
  });
});

describe('addBlockedReason', () => {
  it('VWAP is not offered on daily panes, and a full pane takes no more', () => {
    expect(addBlockedReason('vwap', { indicators: [] }, '1D')).toMatch(/intraday/);
    expect(addBlockedReason('vwap', { indicators: [] }, '5m')).toBeNull();
    const full: Indicator[] = Array.from({ length: MAX_PANE_INDICATORS }, (_, i) => ({
      id: `s${i}`,
      kind: 'sma',
      period: 5 + i,
    }));
    expect(addBlockedReason('sma', { indicators: full }, '5m')).toMatch(/at most 12/);
  });
});

describe('newIndicatorId', () => {
  it('is short and not one the pane already has', () => {
    const taken: Indicator[] = [{ id: 'sma-5', kind: 'sma', period: 20 }];
    const id = newIndicatorId('sma', taken, 1_000_005);
    expect(id).toBe('sma-6');
    expect(id.length).toBeLessThanOrEqual(40);
  });
});

describe('indicatorStyles', () => {
  it('gives each indicator of a kind its own shade, and kinds their own colours', () => {
    const styles = indicatorStyles([
      { id: 'a', kind: 'sma', period: 20 },
      { id: 'b', kind: 'sma', period: 50 },
      { id: 'c', kind: 'ema', period: 20 },
    ]);
    const colours = styles.map((s) => s.color);
    expect(new Set(colours).size).toBe(3);
    // Never a candle colour, on either theme; the light theme has its own shades.
    const light = indicatorStyles(
      [
        { id: 'a', kind: 'sma', period: 20 },
        { id: 'c', kind: 'ema', period: 20 },
      ],
      'light',
    ).map((s) => s.color);
    for (const colour of [...colours, ...light]) expect(['#26a69a', '#ef5350']).not.toContain(colour);
    expect(light).not.toContain(colours[0]);
  });
});

describe('formatIndicatorValues', () => {
  it('RSI to a tenth; prices and MACD to the cent, four decimals only when every value is under 1', () => {
    expect(formatIndicatorValues('rsi', [55.55])).toBe('55.5');
    expect(formatIndicatorValues('macd', [0.5565, 2.84, -2.2849])).toBe('0.56 2.84 -2.28');
    expect(formatIndicatorValues('macd', [0.01234, 0.02, -0.00766])).toBe('0.0123 0.0200 -0.0077');
    expect(formatIndicatorValues('sma', [817.876])).toBe('817.88');
  });
});

import { describe, expect, it } from 'vitest';
import { EntryGateSchema, STRATEGY_IDS, type RegimeForecast } from '../../../shared/domain';
import { DEFAULT_GATE_THRESHOLDS, entryGate, gateStrategy, riskyWeight } from './entry-gate';

function regime(next: [number, number, number], forecastVolatility = 0.31): RegimeForecast {
  const names = ['calm', 'normal', 'stressed'] as const;
  return {
    barStart: 0,
    current: 'normal',
    volatility: 0.2,
    forecastVolatility,
    next,
    nextRegime: names[next.indexOf(Math.max(...next))]!,
  };
}

const stressed = regime([0.02, 0.35, 0.63]);
const calm = regime([0.9, 0.1, 0]);
const bad = { score: -0.42, weight: 4.1 };

describe('entryGate', () => {
  it('closes when sentiment and regime both say no, and says why with the numbers', () => {
    const gate = EntryGateSchema.parse(entryGate({ sentiment: bad, regime: stressed }));
    expect(gate.open).toBe(false);
    expect(gate.reason).toBe(
      'sentiment −0.42 (4.1 items) at or below −0.20 and regime forecast stressed (P 0.63, volatility 31 % next session)',
    );
  });

  it('stays open when only one says no, or an input is missing', () => {
    expect(entryGate({ sentiment: bad, regime: calm })).toEqual({ open: true, reason: null });
    expect(entryGate({ sentiment: { score: 0.1, weight: 9 }, regime: stressed }).open).toBe(true);
    expect(entryGate({ sentiment: null, regime: stressed }).open).toBe(true);
    expect(entryGate({ sentiment: bad, regime: null }).open).toBe(true);
  });

  it('needs enough sentiment weight, and takes the thresholds as given', () => {
    expect(entryGate({ sentiment: { score: -0.9, weight: 1.5 }, regime: stressed }).open).toBe(true);
    expect(entryGate({ sentiment: { score: -0.2, weight: 2 }, regime: stressed }).open).toBe(false);
    expect(entryGate({ sentiment: { score: -0.19, weight: 2 }, regime: stressed }).open).toBe(true);
    const strict = { ...DEFAULT_GATE_THRESHOLDS, maxSentiment: -0.5 };
    expect(entryGate({ sentiment: bad, regime: stressed, thresholds: strict }).open).toBe(true);
  });

  it('reads the regime as saying no at P(stressed) ≥ 0.5, or when stressed is the likeliest below that', () => {
    expect(entryGate({ sentiment: bad, regime: regime([0, 0.5, 0.5]) }).open).toBe(false);
    expect(entryGate({ sentiment: bad, regime: regime([0.3, 0.3, 0.4]) }).open).toBe(false);
    expect(entryGate({ sentiment: bad, regime: regime([0.05, 0.55, 0.4]) }).open).toBe(true);
  });
});

describe('gateStrategy', () => {
  const closed = { open: false, reason: 'test' };
  const open = { open: true, reason: null };

  it('defines risky weight as everything but SHY, IEF, TLT and cash', () => {
    expect(STRATEGY_IDS.map(riskyWeight).map((w) => Math.round(w * 100) / 100)).toEqual([
      0, 0.3, 0.45, 0.7, 0.8, 1, 1, 0.4,
    ]);
  });

  it('passes the proposal with the gate open', () => {
    expect(gateStrategy('defensive', 'max_growth', open)).toEqual({ strategy: 'max_growth', held: false });
  });

  it('with the gate closed holds a proposal that adds risk at the previous strategy', () => {
    expect(gateStrategy('defensive', 'max_growth', closed)).toEqual({ strategy: 'defensive', held: true });
    expect(gateStrategy('balanced_safe', 'tactical_opportunity', closed)).toEqual({
      strategy: 'tactical_opportunity',
      held: false,
    });
  });

  it('with the gate closed lets a proposal that cuts or keeps risk through', () => {
    expect(gateStrategy('max_growth', 'defensive', closed)).toEqual({ strategy: 'defensive', held: false });
    expect(gateStrategy('max_growth', 'aggressive_growth', closed)).toEqual({
      strategy: 'aggressive_growth',
      held: false,
    });
  });

  it('with the gate closed and nothing held yet, holds at the least risky strategy', () => {
    expect(gateStrategy(null, 'balanced_growth', closed)).toEqual({
      strategy: 'ultra_defensive',
      held: true,
    });
    expect(gateStrategy(null, 'ultra_defensive', closed)).toEqual({
      strategy: 'ultra_defensive',
      held: false,
    });
    expect(gateStrategy(null, 'balanced_growth', open)).toEqual({ strategy: 'balanced_growth', held: false });
  });
});

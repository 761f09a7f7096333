import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OrderRequestSchema,
  RISK_RULES,
  RiskDenialSchema,
  RiskLimitsSchema,
  type OrderRequest,
  type RiskRule,
} from '../../../shared/domain/trading';
import {
  DEFAULT_RISK_LIMITS,
  checkOrder,
  countRecentSubmits,
  formatDollars,
  formatPercent,
  isReducing,
  type RiskContext,
} from './risk-rules';

const NOW = 1_767_000_000_000;

function order(fields: Partial<OrderRequest> = {}): OrderRequest {
  // Through the contract's schema, so every request here is one the risk engine can really receive.
  return OrderRequestSchema.parse({
    clientOrderId: 'test-1',
    symbol: 'AAPL',
    side: 'buy',
    qty: 10,
    type: 'market',
    tif: 'day',
    ...fields,
  });
}

function context(fields: Partial<RiskContext> = {}): RiskContext {
  return {
    limits: { ...DEFAULT_RISK_LIMITS },
    tradingState: 'active',
    lastPrice: 100,
    knownSymbol: true,
    position: 0,
    grossExposure: 0,
    symbolValue: 0,
    dayPnl: 0,
    recentSubmits: [],
    now: NOW,
    cash: 100_000,
    cashAccount: true,
    ...fields,
  };
}

function limits(fields: Partial<RiskContext['limits']>): RiskContext['limits'] {
  return { ...DEFAULT_RISK_LIMITS, ...fields };
}

function ruleOf(request: OrderRequest, ctx: RiskContext): RiskRule | null {
  const denial = checkOrder(request, ctx);
  if (denial !== null) expect(RiskDenialSchema.parse(denial)).toEqual(denial);
  return denial?.rule ?? null;
}

describe('DEFAULT_RISK_LIMITS', () => {
  it('are valid limits and let an ordinary retail order through', () => {
    expect(RiskLimitsSchema.parse(DEFAULT_RISK_LIMITS)).toEqual(DEFAULT_RISK_LIMITS);
    expect(checkOrder(order({ qty: 100 }), context())).toBeNull();
  });
});

describe('isReducing', () => {
  it('is a sell of at most the long, or a buy of at most the short; flat counts, a flip does not', () => {
    expect(isReducing('sell', 50, 100)).toBe(true);
    expect(isReducing('sell', 100, 100)).toBe(true); // to flat
    expect(isReducing('sell', 101, 100)).toBe(false); // flips to short 1
    expect(isReducing('buy', 1, 100)).toBe(false);
    expect(isReducing('buy', 30, -100)).toBe(true);
    expect(isReducing('buy', 100, -100)).toBe(true);
    expect(isReducing('buy', 150, -100)).toBe(false); // flips to long 50
    expect(isReducing('sell', 1, -100)).toBe(false);
    expect(isReducing('buy', 1, 0)).toBe(false);
    expect(isReducing('sell', 1, 0)).toBe(false);
  });

  it('agrees with "|position| shrinks and the sign never changes" for any order and position', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('buy' as const, 'sell' as const),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        (side, qty, position) => {
          const after = position + (side === 'buy' ? qty : -qty);
          const shrinks = Math.abs(after) < Math.abs(position) && after * position >= 0;
          expect(isReducing(side, qty, position)).toBe(shrinks);
        },
      ),
    );
  });
});

describe('checkOrder: each rule refuses with its numbers and passes at its limit', () => {
  it('trading_state: halted refuses every order, even one that reduces', () => {
    const halted = context({ tradingState: 'halted', position: 100 });
    expect(checkOrder(order({ side: 'sell', qty: 10 }), halted)).toEqual({
      rule: 'trading_state',
      message:
        'trading_state: trading is halted (the kill switch is on); no order passes until it is turned off',
    });
    expect(ruleOf(order(), halted)).toBe('trading_state');
  });

  it('trading_state: reducing passes only what shrinks |position|, for longs and shorts', () => {
    const long = context({ tradingState: 'reducing', position: 100 });
    expect(ruleOf(order({ side: 'sell', qty: 100 }), long)).toBeNull();
    expect(ruleOf(order({ side: 'sell', qty: 40 }), long)).toBeNull();
    expect(checkOrder(order({ side: 'buy', qty: 5 }), long)).toEqual({
      rule: 'trading_state',
      message:
        'trading_state: trading is reducing only; a buy of 5 with a long position of 100 does not shrink the position',
    });
    expect(checkOrder(order({ side: 'sell', qty: 101 }), long)?.message).toContain(
      'a sell of 101 with a long position of 100',
    );

    const short = context({ tradingState: 'reducing', position: -100 });
    expect(ruleOf(order({ side: 'buy', qty: 100 }), short)).toBeNull();
    expect(ruleOf(order({ side: 'buy', qty: 101 }), short)).toBe('trading_state');
    expect(checkOrder(order({ side: 'sell', qty: 1 }), short)?.message).toContain('a short position of 100');

    const flat = context({ tradingState: 'reducing', position: 0 });
    expect(checkOrder(order({ side: 'sell', qty: 1 }), flat)?.message).toContain('with no position');
  });

  it('unknown_symbol', () => {
    expect(checkOrder(order({ symbol: 'ZZZZ' }), context({ knownSymbol: false }))).toEqual({
      rule: 'unknown_symbol',
      message: 'unknown_symbol: ZZZZ is not a symbol this workstation knows; check its spelling',
    });
  });

  it('no_price: none, NaN or zero; any positive last price passes', () => {
    for (const lastPrice of [null, Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) {
      expect(checkOrder(order(), context({ lastPrice }))).toEqual({
        rule: 'no_price',
        message: 'no_price: no last price for AAPL yet to check the order against; wait for its first trade',
      });
    }
    expect(ruleOf(order({ qty: 1 }), context({ lastPrice: 0.0001 }))).toBeNull();
  });

  it('max_order_notional: the brief example, word for word', () => {
    const ctx = context({
      lastPrice: 612.4,
      cash: 1e7,
      limits: limits({ maxOrderNotional: 100_000, maxPositionNotional: 1e7, maxGrossExposure: 1e7 }),
    });
    expect(checkOrder(order({ qty: 500 }), ctx)).toEqual({
      rule: 'max_order_notional',
      message: 'max_order_notional: 500 × $612.40 = $306,200 is above the $100,000 limit',
    });
  });

  it('max_order_notional: qty × (limit, else stop, else last), exactly at the limit passes', () => {
    // Default limit $25,000; last $100.
    expect(ruleOf(order({ qty: 250 }), context())).toBeNull();
    expect(checkOrder(order({ qty: 251 }), context())?.message).toBe(
      'max_order_notional: 251 × $100 = $25,100 is above the $25,000 limit',
    );
    // A limit order is valued at its limit price, a stop at its stop, a stop-limit at its limit.
    expect(ruleOf(order({ qty: 250, type: 'limit', limitPrice: 99 }), context())).toBeNull();
    expect(checkOrder(order({ qty: 250, type: 'limit', limitPrice: 101 }), context())?.message).toBe(
      'max_order_notional: 250 × $101 = $25,250 is above the $25,000 limit',
    );
    expect(checkOrder(order({ qty: 250, type: 'stop', stopPrice: 100.5 }), context())?.message).toBe(
      'max_order_notional: 250 × $100.50 = $25,125 is above the $25,000 limit',
    );
    const stopLimit = order({ qty: 250, type: 'stop_limit', stopPrice: 95, limitPrice: 100.01 });
    expect(checkOrder(stopLimit, context())?.message).toBe(
      'max_order_notional: 250 × $100.01 = $25,002.50 is above the $25,000 limit',
    );
    // Sells are sized the same way: a fat finger is a fat finger either way.
    expect(ruleOf(order({ side: 'sell', qty: 251 }), context({ position: 1000 }))).toBe('max_order_notional');
  });

  it('max_position_notional: |position after| × price, for longs and shorts', () => {
    // Default limit $50,000; last $100.
    expect(ruleOf(order({ qty: 200 }), context({ position: 300 }))).toBeNull(); // 500 × $100
    expect(checkOrder(order({ qty: 201 }), context({ position: 300 }))).toEqual({
      rule: 'max_position_notional',
      message:
        'max_position_notional: the position after the order, 501 × $100 = $50,100, is above the $50,000 limit',
    });
    expect(
      ruleOf(order({ side: 'sell', qty: 200 }), context({ position: -300, cashAccount: false })),
    ).toBeNull();
    expect(ruleOf(order({ side: 'sell', qty: 201 }), context({ position: -300 }))).toBe(
      'max_position_notional',
    );
  });

  it('max_position_notional: a flip beyond flat is sized by the new position; a reduction is never refused', () => {
    const wide = limits({ maxOrderNotional: 1e6 });
    // Long 100, sell 701: short 601 × $100 = $60,100.
    expect(
      checkOrder(order({ side: 'sell', qty: 701 }), context({ position: 100, limits: wide }))?.message,
    ).toBe(
      'max_position_notional: the position after the order, 601 × $100 = $60,100, is above the $50,000 limit',
    );
    expect(ruleOf(order({ side: 'sell', qty: 600 }), context({ position: 100, limits: wide }))).toBeNull();
    // Long 900 ($90,000, over the limit since prices moved): selling 100 still leaves $80,000, and passes.
    const over = context({ position: 900, grossExposure: 90_000, symbolValue: 90_000 });
    expect(ruleOf(order({ side: 'sell', qty: 100 }), over)).toBeNull();
    expect(ruleOf(order({ side: 'buy', qty: 1 }), over)).toBe('max_position_notional');
  });

  it('max_gross_exposure: the other symbols as marked plus this symbol after the order', () => {
    // Default limit $100,000. $80,000 in other symbols, flat here: a buy of 200 × $100 reaches $100,000.
    expect(ruleOf(order({ qty: 200 }), context({ grossExposure: 80_000 }))).toBeNull();
    expect(checkOrder(order({ qty: 201 }), context({ grossExposure: 80_000 }))).toEqual({
      rule: 'max_gross_exposure',
      message:
        'max_gross_exposure: the gross exposure after the order, $80,000 in other symbols + 201 × $100 in AAPL ' +
        '= $100,100, is above the $100,000 limit',
    });
    // $90,000 gross of which $30,000 is this symbol (300 shares): the symbol is revalued, not counted twice.
    const held = { grossExposure: 90_000, symbolValue: 30_000, position: 300 };
    expect(ruleOf(order({ qty: 100 }), context(held))).toBeNull(); // 60,000 + 400 × 100
    expect(ruleOf(order({ qty: 101 }), context(held))).toBe('max_gross_exposure');
    // A short's value counts by its size: the sign of symbolValue is ignored.
    const heldShort = { grossExposure: 90_000, symbolValue: -30_000, position: -300, cashAccount: false };
    expect(ruleOf(order({ side: 'sell', qty: 100 }), context(heldShort))).toBeNull();
    expect(ruleOf(order({ side: 'sell', qty: 101 }), context(heldShort))).toBe('max_gross_exposure');
    // Reducing orders lower the gross exposure and always pass this rule, even over the limit.
    const over = context({
      grossExposure: 150_000,
      symbolValue: 30_000,
      position: 300,
      limits: limits({ maxOrderNotional: 1e6 }),
    });
    expect(ruleOf(order({ side: 'sell', qty: 200 }), over)).toBeNull();
    expect(ruleOf(order({ side: 'sell', qty: 301 }), over)).toBe('max_gross_exposure'); // a flip is not
  });

  it('max_daily_loss: at or past −limit only reducing orders pass', () => {
    // Default limit $2,000.
    expect(ruleOf(order(), context({ dayPnl: -1_999.99 }))).toBeNull();
    expect(checkOrder(order(), context({ dayPnl: -2_000 }))).toEqual({
      rule: 'max_daily_loss',
      message:
        "max_daily_loss: the day's P&L of -$2,000 is at or past the -$2,000 limit; only orders that shrink a " +
        'position pass today',
    });
    expect(checkOrder(order(), context({ dayPnl: -2_150.5 }))?.message).toContain('P&L of -$2,150.50');
    expect(ruleOf(order({ side: 'sell', qty: 10 }), context({ dayPnl: -5_000, position: 50 }))).toBeNull();
    expect(ruleOf(order({ side: 'buy', qty: 10 }), context({ dayPnl: -5_000, position: -50 }))).toBeNull();
    expect(ruleOf(order({ side: 'sell', qty: 60 }), context({ dayPnl: -5_000, position: 50 }))).toBe(
      'max_daily_loss',
    );
  });

  it('max_orders_per_minute: the submits of the last 60 s; a submit 60 s old has left the window', () => {
    const max = DEFAULT_RISK_LIMITS.maxOrdersPerMinute;
    const within = Array.from({ length: max - 1 }, (_, i) => NOW - i * 900);
    expect(ruleOf(order(), context({ recentSubmits: within }))).toBeNull();
    expect(checkOrder(order(), context({ recentSubmits: [...within, NOW - 59_999] }))).toEqual({
      rule: 'max_orders_per_minute',
      message: `max_orders_per_minute: ${max} orders were submitted in the last 60 s; the limit is ${max} a minute, wait a moment`,
    });
    expect(ruleOf(order(), context({ recentSubmits: [...within, NOW - 60_000] }))).toBeNull();
    expect(countRecentSubmits([NOW - 60_000, NOW - 59_999, NOW, NOW + 1], NOW)).toBe(2);
  });

  it('price_band: a limit or stop further than the band from the last price', () => {
    // Default band 10 %; last $100.
    expect(ruleOf(order({ type: 'limit', limitPrice: 110 }), context())).toBeNull();
    expect(ruleOf(order({ type: 'limit', limitPrice: 90 }), context())).toBeNull();
    expect(checkOrder(order({ type: 'limit', limitPrice: 110.5 }), context())).toEqual({
      rule: 'price_band',
      message: 'price_band: the limit price $110.50 is 10.5% from the last price $100, beyond the 10% band',
    });
    expect(ruleOf(order({ side: 'sell', type: 'limit', limitPrice: 89.9 }), context({ position: 10 }))).toBe(
      'price_band',
    );
    expect(checkOrder(order({ type: 'stop', stopPrice: 80 }), context())?.message).toBe(
      'price_band: the stop price $80 is 20% from the last price $100, beyond the 10% band',
    );
    // A stop-limit is checked on both prices.
    const badStop = order({ type: 'stop_limit', limitPrice: 101, stopPrice: 120 });
    expect(checkOrder(badStop, context())?.message).toContain('the stop price $120');
    // A market order has no price to be out of band.
    expect(ruleOf(order({ qty: 1 }), context({ limits: limits({ priceBand: 0.0001 }) }))).toBeNull();
  });

  it('insufficient_cash: a buy above the cash on a cash account; the flag turns it off', () => {
    expect(ruleOf(order({ qty: 100 }), context({ cash: 10_000 }))).toBeNull();
    expect(checkOrder(order({ qty: 101 }), context({ cash: 10_000 }))).toEqual({
      rule: 'insufficient_cash',
      message: 'insufficient_cash: 101 × $100 = $10,100 is above the cash of $10,000',
    });
    expect(ruleOf(order({ qty: 101 }), context({ cash: 10_000, cashAccount: false }))).toBeNull();
    expect(ruleOf(order({ side: 'sell', qty: 101 }), context({ cash: 0, position: 200 }))).toBeNull();
  });
});

describe('checkOrder: the order of the checks', () => {
  it('refuses by the rules in the order of RISK_RULES, the first broken rule winning', () => {
    // An order that breaks every rule at once, then each rule mended in turn: the refusal must move on to
    // the next rule of RISK_RULES each time, and the order pass at the end.
    const request = order({ qty: 1000, type: 'limit', limitPrice: 200 });
    let ctx = context({
      tradingState: 'halted',
      knownSymbol: false,
      lastPrice: null,
      dayPnl: -5_000,
      recentSubmits: Array.from({ length: 60 }, () => NOW),
      cash: 1_000,
    });
    const mends: ((c: RiskContext) => RiskContext)[] = [
      (c) => ({ ...c, tradingState: 'active' }),
      (c) => ({ ...c, knownSymbol: true }),
      (c) => ({ ...c, lastPrice: 100 }),
      (c) => ({ ...c, limits: { ...c.limits, maxOrderNotional: 1e6 } }),
      (c) => ({ ...c, limits: { ...c.limits, maxPositionNotional: 1e6 } }),
      (c) => ({ ...c, limits: { ...c.limits, maxGrossExposure: 1e7 } }),
      (c) => ({ ...c, dayPnl: 0 }),
      (c) => ({ ...c, recentSubmits: [] }),
      (c) => ({ ...c, limits: { ...c.limits, priceBand: 1 } }),
      (c) => ({ ...c, cash: 1e6 }),
    ];
    const seen: (RiskRule | null)[] = [];
    for (const mend of mends) {
      seen.push(ruleOf(request, ctx));
      ctx = mend(ctx);
    }
    seen.push(ruleOf(request, ctx));
    expect(seen).toEqual([...RISK_RULES, null]);
  });
});

describe('checkOrder: properties over random orders and moments', () => {
  const requests = fc
    .record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      qty: fc.integer({ min: 1, max: 600 }),
      type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const, 'stop_limit' as const),
      limitPrice: fc.integer({ min: 85, max: 115 }),
      stopPrice: fc.integer({ min: 85, max: 115 }),
    })
    .map(({ side, qty, type, limitPrice, stopPrice }) =>
      order({
        side,
        qty,
        type,
        ...(type === 'limit' || type === 'stop_limit' ? { limitPrice } : {}),
        ...(type === 'stop' || type === 'stop_limit' ? { stopPrice } : {}),
      }),
    );
  const contexts = fc
    .record({
      tradingState: fc.constantFrom('active' as const, 'reducing' as const, 'halted' as const),
      position: fc.integer({ min: -600, max: 600 }),
      others: fc.integer({ min: 0, max: 100_000 }),
      dayPnl: fc.integer({ min: -3_000, max: 3_000 }),
      submits: fc.integer({ min: 0, max: 65 }),
      cash: fc.integer({ min: 0, max: 200_000 }),
      cashAccount: fc.boolean(),
    })
    .map((c) =>
      context({
        tradingState: c.tradingState,
        position: c.position,
        symbolValue: Math.abs(c.position) * 100,
        grossExposure: c.others + Math.abs(c.position) * 100,
        dayPnl: c.dayPnl,
        recentSubmits: Array.from({ length: c.submits }, (_, i) => NOW - i * 1000),
        cash: c.cash,
        cashAccount: c.cashAccount,
      }),
    );

  it('an order that passes keeps every figure within its limit', () => {
    let passed = 0;
    fc.assert(
      fc.property(requests, contexts, (request, ctx) => {
        if (checkOrder(request, ctx) !== null) return;
        passed++;
        const { limits: l } = ctx;
        const price = request.limitPrice ?? request.stopPrice ?? 100;
        const signed = request.side === 'buy' ? request.qty : -request.qty;
        const after = ctx.position + signed;
        const shrinks = Math.abs(after) < Math.abs(ctx.position) && after * ctx.position >= 0;
        expect(ctx.tradingState).not.toBe('halted');
        if (ctx.tradingState === 'reducing' || ctx.dayPnl <= -l.maxDailyLoss) expect(shrinks).toBe(true);
        expect(request.qty * price).toBeLessThanOrEqual(l.maxOrderNotional);
        if (!shrinks) {
          expect(Math.abs(after) * price).toBeLessThanOrEqual(l.maxPositionNotional);
          expect(ctx.grossExposure - ctx.symbolValue + Math.abs(after) * price).toBeLessThanOrEqual(
            l.maxGrossExposure,
          );
        }
        expect(ctx.recentSubmits.length).toBeLessThan(l.maxOrdersPerMinute);
        for (const p of [request.limitPrice, request.stopPrice]) {
          if (p !== undefined) expect(Math.abs(p - 100) / 100).toBeLessThanOrEqual(l.priceBand);
        }
        if (ctx.cashAccount && request.side === 'buy')
          expect(request.qty * price).toBeLessThanOrEqual(ctx.cash);
      }),
      { numRuns: 2_000 },
    );
    // The property says something only if enough random orders pass.
    expect(passed).toBeGreaterThan(100);
  });

  it('every refusal names a rule and starts its message with it; halted refuses everything', () => {
    fc.assert(
      fc.property(requests, contexts, (request, ctx) => {
        const denial = checkOrder(request, ctx);
        if (ctx.tradingState === 'halted') expect(denial?.rule).toBe('trading_state');
        if (denial !== null) {
          expect(RISK_RULES).toContain(denial.rule);
          expect(denial.message.startsWith(`${denial.rule}: `)).toBe(true);
          expect(denial.message).not.toMatch(/NaN|undefined|Infinity/);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('message formatting', () => {
  it('dollars with thousands separators, cents only when there are any; percents to a tenth', () => {
    expect(formatDollars(306_200)).toBe('$306,200');
    expect(formatDollars(500 * 612.4)).toBe('$306,200');
    expect(formatDollars(612.4)).toBe('$612.40');
    expect(formatDollars(0.05)).toBe('$0.05');
    expect(formatDollars(1_234_567.891)).toBe('$1,234,567.89');
    expect(formatDollars(-2_150.5)).toBe('-$2,150.50');
    expect(formatDollars(-0.001)).toBe('$0');
    expect(formatPercent(0.1)).toBe('10%');
    expect(formatPercent(1 / 7)).toBe('14.3%');
  });
});

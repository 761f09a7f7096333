import { describe, expect, it } from 'vitest';
import { BarSchema, TradeSchema } from '../../../shared/domain';
import type { Bar, Trade } from '../../../shared/domain';
import { DEFAULT_UNIVERSE, SyntheticMarket } from './market';
import type { MarketState, SessionTimes, SyntheticSymbolSpec } from './market';
import { MarketStateSchema } from './market-state';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** 2024-01-02 09:30 New York. Sessions here are plain consecutive days: the market needs no calendar. */
const FIRST_OPEN = Date.UTC(2024, 0, 2, 14, 30);

function session(day: number, minutes = 390): SessionTimes {
  const open = FIRST_OPEN + day * DAY;
  return { open, close: open + minutes * MINUTE };
}

function runSession(
  market: SyntheticMarket,
  s: SessionTimes,
  withTrades: boolean,
): { bars: Bar[]; trades: Trade[] } {
  const bars: Bar[] = [];
  const trades: Trade[] = [];
  for (let t = s.open; t < s.close; t += MINUTE) {
    const out = market.generateMinute(t, s, withTrades);
    bars.push(...out.bars);
    trades.push(...out.trades);
  }
  return { bars, trades };
}

describe('SyntheticMarket', () => {
  it('lists the default universe: ten symbols of the expected kinds', () => {
    const market = new SyntheticMarket({ seed: 1 });
    expect(market.symbols.map((s) => s.symbol)).toEqual([
      'SPY',
      'QQQ',
      'TLT',
      'GLD',
      'XLK',
      'XLF',
      'XLE',
      'AAPL',
      'NVDA',
      'JPM',
    ]);
    const kinds = Object.fromEntries(market.symbols.map((s) => [s.symbol, s.kind]));
    expect(kinds).toMatchObject({
      SPY: 'index-etf',
      TLT: 'bond-etf',
      GLD: 'commodity-etf',
      XLF: 'sector-etf',
    });
    expect(kinds.NVDA).toBe('stock');
    expect(market.prices()).toMatchObject({ SPY: 660, NVDA: 180, TLT: 88 });
  });

  it('is deterministic: the same seed and calls give identical output, bit for bit', () => {
    const play = (seed: number): string => {
      const market = new SyntheticMarket({ seed });
      const out: unknown[] = [];
      for (let d = 0; d < 20; d++) out.push(market.generateDay(session(d)));
      for (let d = 20; d < 22; d++) out.push(runSession(market, session(d), d === 21));
      out.push(market.prices(), market.regime);
      return JSON.stringify(out);
    };
    const first = play(2024);
    expect(play(2024)).toBe(first);
    expect(play(2025)).not.toBe(first);
  });

  it('gives different worlds for neighbouring seeds from the very first minute', () => {
    const firstMinute = (seed: number): string =>
      JSON.stringify(new SyntheticMarket({ seed }).generateMinute(session(0).open, session(0), false).bars);
    const seen = new Set([0, 1, 2, 3, 4].map(firstMinute));
    expect(seen.size).toBe(5);
  });

  it('produces valid, positive, cent-rounded OHLC bars, minute and daily, over many sessions', () => {
    const market = new SyntheticMarket({ seed: 11 });
    const cents = (p: number): boolean => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6;
    // Problems are collected and asserted once: an expect() per bar would dominate the run time.
    const problems: string[] = [];
    const check = (bar: Bar, timeframe: string, start: number): void => {
      const parsed = BarSchema.safeParse(bar);
      if (!parsed.success) problems.push(`${JSON.stringify(bar)}: ${parsed.error.message}`);
      if (bar.timeframe !== timeframe || bar.start !== start || !bar.closed)
        problems.push(`bad identity ${JSON.stringify(bar)}`);
      if (![bar.open, bar.high, bar.low, bar.close].every(cents))
        problems.push(`not in cents ${JSON.stringify(bar)}`);
      if (!Number.isInteger(bar.volume) || bar.volume < 1) problems.push(`bad volume ${JSON.stringify(bar)}`);
    };
    for (let d = 0; d < 2000; d++) {
      for (const bar of market.generateDay(session(d))) check(bar, '1D', session(d).open);
    }
    for (let d = 2000; d < 2030; d++) {
      const s = session(d);
      for (let t = s.open; t < s.close; t += MINUTE) {
        for (const bar of market.generateMinute(t, s, false).bars) check(bar, '1m', t);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('gives every symbol one bar every minute, continuing from the previous close', () => {
    const market = new SyntheticMarket({ seed: 5 });
    const s = session(0);
    let previous: Bar[] | null = null;
    for (let t = s.open; t < s.close; t += MINUTE) {
      const { bars } = market.generateMinute(t, s, false);
      expect(bars.map((b) => b.symbol)).toEqual(market.symbols.map((x) => x.symbol));
      expect(bars.every((b) => b.start === t && b.timeframe === '1m')).toBe(true);
      if (previous) expect(bars.map((b) => b.open)).toEqual(previous.map((b) => b.close));
      previous = bars;
    }
    expect(market.prices()).toEqual(Object.fromEntries(previous!.map((b) => [b.symbol, b.close])));
  });

  it('backs each bar with trades: open first, close last, extremes hit, sizes sum to the volume', () => {
    const market = new SyntheticMarket({ seed: 9 });
    const order = new Map(market.symbols.map((x, i) => [x.symbol, i]));
    const problems: string[] = [];
    for (let d = 0; d < 3; d++) {
      const s = session(d);
      for (let t = s.open; t < s.close; t += MINUTE) {
        const { bars, trades } = market.generateMinute(t, s, true);
        // Sorted by time across symbols, ties in universe order.
        for (let k = 1; k < trades.length; k++) {
          const a = trades[k - 1]!;
          const b = trades[k]!;
          if (!(a.time < b.time || (a.time === b.time && order.get(a.symbol)! < order.get(b.symbol)!))) {
            problems.push(`out of order at ${t}: ${JSON.stringify([a, b])}`);
          }
        }
        const bySymbol = new Map<string, Trade[]>();
        for (const trade of trades) {
          if (!TradeSchema.safeParse(trade).success) problems.push(`invalid ${JSON.stringify(trade)}`);
          const list = bySymbol.get(trade.symbol) ?? [];
          list.push(trade);
          bySymbol.set(trade.symbol, list);
        }
        for (const bar of bars) {
          const own = bySymbol.get(bar.symbol) ?? [];
          const prices = own.map((x) => x.price);
          const ok =
            own.length >= 1 &&
            own[0]!.price === bar.open &&
            own.at(-1)!.price === bar.close &&
            Math.max(...prices) === bar.high &&
            Math.min(...prices) === bar.low &&
            own.reduce((sum, x) => sum + x.size, 0) === bar.volume &&
            own.every(
              (x, k) => x.time >= t && x.time < t + MINUTE && (k === 0 || x.time > own[k - 1]!.time),
            ) &&
            own.every((x) => Number.isInteger(x.size) && x.size >= 1);
          if (!ok) problems.push(`${JSON.stringify(bar)} vs ${JSON.stringify(own)}`);
        }
      }
    }
    expect(problems.slice(0, 3)).toEqual([]);
  });

  // The demo condenses a real tape (thousands of prints a minute) into at most 60 trades per symbol
  // per minute: enough that a chart at 1x moves about every second, cheap enough to stream.
  it('trades often enough to look live at 1x: about 20-60 per symbol per minute on average', () => {
    const market = new SyntheticMarket({ seed: 3 });
    const { trades } = runSession(market, session(0), true);
    for (const { symbol } of market.symbols) {
      const perMinute = trades.filter((t) => t.symbol === symbol).length / 390;
      expect(perMinute, symbol).toBeGreaterThanOrEqual(20);
      expect(perMinute, symbol).toBeLessThanOrEqual(60);
    }
  });

  it('gives the same bars whether or not trades are asked for', () => {
    const a = new SyntheticMarket({ seed: 77 });
    const b = new SyntheticMarket({ seed: 77 });
    for (let d = 0; d < 2; d++) {
      const s = session(d);
      for (let t = s.open; t < s.close; t += MINUTE) {
        const withTrades = a.generateMinute(t, s, true);
        const without = b.generateMinute(t, s, (t / MINUTE) % 7 === 0);
        expect(without.bars).toEqual(withTrades.bars);
      }
    }
  });

  it('continues the minute history from the daily history, not from the start price', () => {
    const market = new SyntheticMarket({ seed: 21 });
    let last: Bar[] = [];
    for (let d = 0; d < 250; d++) last = market.generateDay(session(d));
    const dailyCloses = Object.fromEntries(last.map((b) => [b.symbol, b.close]));
    expect(market.prices()).toEqual(dailyCloses);
    const { bars } = market.generateMinute(session(250).open, session(250), false);
    const start = Object.fromEntries(DEFAULT_UNIVERSE.map((s) => [s.symbol, s.startPrice]));
    for (const bar of bars) {
      const fromDaily = Math.abs(Math.log(bar.open / dailyCloses[bar.symbol]!));
      // An overnight gap, not a return to where the world began a year earlier.
      expect(fromDaily).toBeLessThan(0.15);
      expect(fromDaily).toBeLessThan(Math.abs(Math.log(bar.open / start[bar.symbol]!)) + 0.15);
    }
    const moved = bars.filter((b) => Math.abs(Math.log(b.open / start[b.symbol]!)) > 0.05).length;
    expect(moved).toBeGreaterThan(5);
  });

  it('resumes a world from stored closes', () => {
    const first = new SyntheticMarket({ seed: 8 });
    runSession(first, session(0), false);
    const stored = first.prices();
    const resumed = new SyntheticMarket({ seed: 99, initialPrices: stored });
    expect(resumed.prices()).toEqual(stored);
    const { bars } = resumed.generateMinute(session(1).open, session(1), false);
    for (const bar of bars) expect(Math.abs(Math.log(bar.open / stored[bar.symbol]!))).toBeLessThan(0.15);
  });

  it('continues a session from prices of one of its minutes without an overnight gap', () => {
    const s = session(0);
    const stored = { SPY: 601.25, TLT: 88.5 };
    const market = new SyntheticMarket({ seed: 15, initialPrices: stored, pricesAt: s.open + 40 * MINUTE });
    expect(() => market.generateMinute(s.open + 40 * MINUTE, s, false)).toThrow(/forward/);
    const { bars } = market.generateMinute(s.open + 41 * MINUTE, s, false);
    expect(bars.find((b) => b.symbol === 'SPY')!.open).toBe(601.25);
    expect(bars.find((b) => b.symbol === 'TLT')!.open).toBe(88.5);
    // The next session opens with its gap as usual.
    for (let t = s.open + 42 * MINUTE; t < s.close; t += MINUTE) market.generateMinute(t, s, false);
    const close = market.prices();
    const next = market.generateMinute(session(1).open, session(1), false).bars;
    expect(next.filter((b) => b.open !== close[b.symbol]).length).toBeGreaterThan(5);
  });

  it('uses defaults for symbols missing from initialPrices and rejects nonsense prices', () => {
    const market = new SyntheticMarket({ seed: 1, initialPrices: { SPY: 500.123, GONE: 3 } });
    expect(market.prices().SPY).toBe(500.12);
    expect(market.prices().QQQ).toBe(590);
    expect(() => new SyntheticMarket({ seed: 1, initialPrices: { SPY: 0 } })).toThrow(RangeError);
    expect(() => new SyntheticMarket({ seed: 1, initialPrices: { SPY: Number.NaN } })).toThrow(RangeError);
  });

  it('applies an overnight gap at the first minute of each session and none within a session', () => {
    const market = new SyntheticMarket({ seed: 4 });
    let gapped = 0;
    let total = 0;
    let lastClose = market.prices();
    for (let d = 0; d < 30; d++) {
      const s = session(d);
      const first = market.generateMinute(s.open, s, false).bars;
      for (const bar of first) {
        total++;
        if (bar.open !== lastClose[bar.symbol]) gapped++;
      }
      const second = market.generateMinute(s.open + MINUTE, s, false).bars;
      expect(second.map((b) => b.open)).toEqual(first.map((b) => b.close));
      lastClose = market.prices();
    }
    expect(gapped / total).toBeGreaterThan(0.9);
  });

  it('handles short sessions (early closes) and a session joined mid-way', () => {
    const market = new SyntheticMarket({ seed: 6 });
    const early = session(0, 210);
    const { bars } = runSession(market, early, false);
    expect(bars).toHaveLength(210 * 10);
    const s = session(1);
    const out = market.generateMinute(s.open + 200 * MINUTE, s, true);
    expect(out.bars).toHaveLength(10);
    expect(out.trades.length).toBeGreaterThanOrEqual(10);
  });

  it('refuses minutes outside the session, going back in time, or a day already generated', () => {
    const market = new SyntheticMarket({ seed: 2 });
    const s = session(0);
    expect(() => market.generateMinute(s.close, s, false)).toThrow(RangeError);
    expect(() => market.generateMinute(s.open - MINUTE, s, false)).toThrow(RangeError);
    expect(() => market.generateMinute(s.open, { open: s.open, close: s.open }, false)).toThrow(RangeError);
    market.generateMinute(s.open + 5 * MINUTE, s, false);
    expect(() => market.generateMinute(s.open + 5 * MINUTE, s, false)).toThrow(/forward/);
    expect(() => market.generateDay(s)).toThrow(/forward/);
    market.generateDay(session(1));
    expect(() => market.generateMinute(session(1).open, session(1), false)).toThrow(/forward/);
    expect(() => market.generateMinute(session(2).open, session(2), false)).not.toThrow();
  });

  it('accepts a custom universe and validates it', () => {
    const one: SyntheticSymbolSpec = { ...DEFAULT_UNIVERSE[0]!, symbol: 'ABC', name: 'Test', startPrice: 10 };
    const market = new SyntheticMarket({ seed: 1, universe: [one] });
    expect(market.symbols).toEqual([{ symbol: 'ABC', name: 'Test', kind: 'index-etf' }]);
    expect(market.generateMinute(session(0).open, session(0), true).bars).toHaveLength(1);
    expect(() => new SyntheticMarket({ seed: 1, universe: [] })).toThrow(RangeError);
    expect(() => new SyntheticMarket({ seed: 1, universe: [one, one] })).toThrow(/twice/);
    expect(() => new SyntheticMarket({ seed: 1, universe: [{ ...one, startPrice: -1 }] })).toThrow(
      /startPrice/,
    );
    expect(() => new SyntheticMarket({ seed: 1, universe: [{ ...one, overnightShare: 1 }] })).toThrow(
      /overnightShare/,
    );
    expect(() => new SyntheticMarket({ seed: 1, universe: [{ ...one, symbol: 'bad symbol' }] })).toThrow();
  });

  it('keeps a penny stock positive and its bars valid', () => {
    const penny: SyntheticSymbolSpec = {
      ...DEFAULT_UNIVERSE[8]!,
      symbol: 'PENY',
      startPrice: 0.02,
      idioVol: 0.2,
    };
    const market = new SyntheticMarket({ seed: 13, universe: [penny] });
    for (let d = 0; d < 20; d++) {
      for (const bar of runSession(market, session(d), d < 2).bars) {
        BarSchema.parse(bar);
        expect(bar.low).toBeGreaterThanOrEqual(0.01);
      }
    }
  });

  describe('saved state', () => {
    /** A JSON round trip through the schema, as the store does. */
    const stored = (state: MarketState): MarketState =>
      MarketStateSchema.parse(JSON.parse(JSON.stringify(state)));

    it('continues a world bit for bit from the state it hands out before a session', () => {
      const original = new SyntheticMarket({ seed: 31 });
      const saved = new Map<number, MarketState>();
      original.onSessionStart = (state, s) => saved.set(s.open, stored(state));
      for (let d = 0; d < 40; d++) original.generateDay(session(d));
      const later: { bars: Bar[]; regime: string }[] = [];
      for (let d = 40; d < 44; d++) {
        later.push({ bars: runSession(original, session(d), d === 43).bars, regime: original.regime });
      }
      // One state per minute-level session, none for the daily ones.
      expect([...saved.keys()]).toEqual([40, 41, 42, 43].map((d) => session(d).open));

      for (const from of [41, 43]) {
        const resumed = SyntheticMarket.restore(saved.get(session(from).open)!);
        for (let d = from; d < 44; d++) {
          const { bars } = runSession(resumed, session(d), d === 42);
          expect({ bars, regime: resumed.regime }, `session ${d} resumed from ${from}`).toEqual(
            later[d - 40],
          );
        }
        expect(resumed.prices()).toEqual(original.prices());
      }
    });

    it('keeps a crisis, its volatility and its volume level across a restart', () => {
      const original = new SyntheticMarket({ seed: 3 });
      let d = 0;
      while (original.regime !== 'crisis') original.generateDay(session(d++));
      const resumed = SyntheticMarket.restore(stored(original.state()));
      expect(resumed.regime).toBe('crisis');
      for (let k = 0; k < 30; k++, d++) {
        expect(resumed.generateDay(session(d))).toEqual(original.generateDay(session(d)));
        expect(resumed.regime).toBe(original.regime);
      }
    });

    it('is taken between sessions only, and restores into the same universe only', () => {
      const market = new SyntheticMarket({ seed: 12 });
      const s = session(0, 3);
      market.generateMinute(s.open, s, false);
      expect(() => market.state()).toThrow(/between sessions/);
      market.generateMinute(s.open + 2 * MINUTE, s, false);
      const state = market.state();
      expect(state.lastTime).toBe(s.open + 2 * MINUTE);
      // Minutes must still move forward after a restore.
      expect(() => SyntheticMarket.restore(state).generateMinute(s.open + MINUTE, s, false)).toThrow(
        /forward/,
      );
      const other = [{ ...DEFAULT_UNIVERSE[0]!, symbol: 'ABC' }];
      expect(() => SyntheticMarket.restore(state, other)).toThrow(/universe/);
      expect(MarketStateSchema.safeParse({ ...state, logPrices: [1] }).success).toBe(false);
    });

    it('moves to given prices, and the next minute opens there', () => {
      const market = new SyntheticMarket({ seed: 14 });
      const s = session(0);
      market.generateMinute(s.open, s, false);
      market.movePrices({ SPY: 512.34, NVDA: 101 });
      const { bars } = market.generateMinute(s.open + MINUTE, s, false);
      expect(bars.find((b) => b.symbol === 'SPY')!.open).toBe(512.34);
      expect(bars.find((b) => b.symbol === 'NVDA')!.open).toBe(101);
      expect(() => market.movePrices({ SPY: -1 })).toThrow(RangeError);
    });
  });
});

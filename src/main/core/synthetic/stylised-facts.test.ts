/**
 * The demo market against the real one. Long seeded worlds (20 years of daily bars each) must show the
 * stylised facts of ../shared/data within the documented tolerance: volatility and stock-bond
 * correlation by regime, the largest 60-session rise and fall, how single stocks and sector funds move
 * with the index, how much of a day's move happens overnight, and how much of a move is given back.
 * When ../shared/data is present, the documented real values are measured again from it.
 */
import { parse } from 'csv-parse/sync';
// Core has no I/O; its tests may read the real data (../shared/data) to check the documented constants.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SyntheticMarket } from './market';
import type { Regime } from './regimes';
import { REGIMES } from './regimes';
import {
  MOVE_SESSIONS,
  REAL_FACTS,
  TOLERANCE,
  annualGrowth,
  correlation,
  lag1Autocorrelation,
  largestMoves,
  logReturns,
  mean,
  overnightShare,
  standardDeviation,
  varianceRatio,
  vixRegime,
} from './stylised-facts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const FIRST_OPEN = Date.UTC(2004, 0, 2, 14, 30);
/** Twenty years of sessions per world, and the worlds: every one must pass. */
const SESSIONS = 20 * 252;
const SEEDS = [1, 2, 3, 4, 5, 6];

/** Opens and closes of one symbol, one entry per session, oldest first. */
interface Daily {
  opens: number[];
  closes: number[];
}

interface World {
  seed: number;
  /** The regime of each session. */
  regimes: Regime[];
  bars: Record<string, Daily>;
}

function generateWorld(seed: number): World {
  const market = new SyntheticMarket({ seed });
  const bars: Record<string, Daily> = {};
  for (const { symbol } of market.symbols) bars[symbol] = { opens: [], closes: [] };
  const regimes: Regime[] = [];
  for (let d = 0; d < SESSIONS; d++) {
    const open = FIRST_OPEN + d * DAY;
    for (const bar of market.generateDay({ open, close: open + 390 * MINUTE })) {
      bars[bar.symbol]!.opens.push(bar.open);
      bars[bar.symbol]!.closes.push(bar.close);
    }
    regimes.push(market.regime);
  }
  return { seed, regimes, bars };
}

/** Returns of `closes` (return i ends at session i + 1) split by the regime of the session they end in. */
function byRegime(returns: readonly number[], regimes: readonly Regime[], regime: Regime): number[] {
  return returns.filter((_, i) => regimes[i + 1] === regime);
}

const fmt = (x: number): string => x.toFixed(4);

/** Collects every value outside its band, so one run names every failing world and fact. */
function checker() {
  const problems: string[] = [];
  return {
    problems,
    within(what: string, value: number, low: number, high: number): void {
      if (!(value >= low && value <= high))
        problems.push(`${what}: ${fmt(value)} not in [${fmt(low)}, ${fmt(high)}]`);
    },
  };
}

describe('generated 20-year worlds stay inside the stylised facts of the real market', () => {
  const worlds: World[] = [];

  beforeAll(() => {
    for (const seed of SEEDS) worlds.push(generateWorld(seed));
  });

  it('has the daily volatility of each regime that SPY has in the matching VIX bucket', () => {
    const c = checker();
    const f = TOLERANCE.volatilityFactor;
    for (const w of worlds) {
      const spy = logReturns(w.bars.SPY!.closes);
      for (const regime of REGIMES) {
        const real = REAL_FACTS.regimeVolatility[regime];
        const vol = standardDeviation(byRegime(spy, w.regimes, regime));
        c.within(`seed ${w.seed} ${regime} SPY volatility`, vol, real.low / f, real.high * f);
      }
    }
    expect(c.problems).toEqual([]);
  });

  it('spends about as much time in each regime as the market did in each VIX bucket (pooled)', () => {
    const c = checker();
    for (const regime of REGIMES) {
      const share = mean(worlds.map((w) => w.regimes.filter((r) => r === regime).length / w.regimes.length));
      const real = REAL_FACTS.regimeShare[regime];
      const tolerance = regime === 'crisis' ? TOLERANCE.crisisShare : TOLERANCE.share;
      c.within(`${regime} share`, share, real.low - tolerance, real.high + tolerance);
    }
    expect(c.problems).toEqual([]);
  });

  it('keeps stocks and bonds negatively correlated in every regime, most in stress', () => {
    const c = checker();
    const t = TOLERANCE.regimeCorrelation;
    for (const w of worlds) {
      const spy = logReturns(w.bars.SPY!.closes);
      const tlt = logReturns(w.bars.TLT!.closes);
      const corr: Partial<Record<Regime, number>> = {};
      for (const regime of REGIMES) {
        const real = REAL_FACTS.stockBondCorrelation[regime];
        const value = correlation(byRegime(spy, w.regimes, regime), byRegime(tlt, w.regimes, regime));
        corr[regime] = value;
        c.within(`seed ${w.seed} ${regime} SPY-TLT correlation`, value, real - t, Math.min(real + t, 0));
      }
      c.within(`seed ${w.seed} crisis minus calm SPY-TLT correlation`, corr.crisis! - corr.calm!, -1, 0);
    }
    expect(c.problems).toEqual([]);
  });

  it('rises and falls over 60 sessions about as far as SPY did, no further (2009, 2020; 2008)', () => {
    const c = checker();
    const t = TOLERANCE.largestMove;
    const { largestRise, largestFall } = REAL_FACTS;
    for (const w of worlds) {
      const { rise, fall } = largestMoves(w.bars.SPY!.closes, MOVE_SESSIONS);
      c.within(`seed ${w.seed} largest 60-session rise`, rise, largestRise.low - t, largestRise.high + t);
      c.within(`seed ${w.seed} largest 60-session fall`, fall, largestFall.low - t, largestFall.high + t);
    }
    expect(c.problems).toEqual([]);
  });

  it('grows about as fast as SPY over twenty years', () => {
    const c = checker();
    const t = TOLERANCE.annualGrowth;
    for (const w of worlds) {
      const growth = annualGrowth(w.bars.SPY!.closes);
      c.within(
        `seed ${w.seed} annual growth`,
        growth,
        REAL_FACTS.annualGrowth.low - t,
        REAL_FACTS.annualGrowth.high + t,
      );
    }
    expect(c.problems).toEqual([]);
  });

  it('moves single stocks with the index like real large caps do, less than their sector funds', () => {
    const c = checker();
    const real = REAL_FACTS.singleStockCorrelation;
    const t = TOLERANCE.singleStockCorrelation;
    const sectorFund: Record<string, string> = { AAPL: 'XLK', NVDA: 'XLK', JPM: 'XLF' };
    for (const w of worlds) {
      const spy = logReturns(w.bars.SPY!.closes);
      for (const [stock, fund] of Object.entries(sectorFund)) {
        const value = correlation(spy, logReturns(w.bars[stock]!.closes));
        const ceiling = Math.min(real.high + t, REAL_FACTS.correlationWithSpy[fund]!);
        c.within(`seed ${w.seed} ${stock}-SPY correlation`, value, real.low - t, ceiling);
      }
      for (const [symbol, value] of Object.entries(REAL_FACTS.correlationWithSpy)) {
        const sim = correlation(spy, logReturns(w.bars[symbol]!.closes));
        c.within(
          `seed ${w.seed} ${symbol}-SPY correlation`,
          sim,
          value - TOLERANCE.correlation,
          value + TOLERANCE.correlation,
        );
      }
    }
    expect(c.problems).toEqual([]);
  });

  it('realises the real share of the daily variance overnight', () => {
    const c = checker();
    const t = TOLERANCE.overnightShare;
    const stocks = REAL_FACTS.singleStockOvernightShare;
    const ts = TOLERANCE.singleStockOvernightShare;
    for (const w of worlds) {
      for (const [symbol, { opens, closes }] of Object.entries(w.bars)) {
        const share = overnightShare(opens, closes);
        const real = REAL_FACTS.overnightShare[symbol];
        if (real !== undefined)
          c.within(`seed ${w.seed} ${symbol} overnight share`, share, real - t, real + t);
        else c.within(`seed ${w.seed} ${symbol} overnight share`, share, stocks.low - ts, stocks.high + ts);
      }
    }
    expect(c.problems).toEqual([]);
  });

  it('gives part of each move back: overreaction in crises, variance ratios below one (pooled)', () => {
    const c = checker();
    const ta = TOLERANCE.autocorrelation;
    const tv = TOLERANCE.varianceRatio;
    const spy = worlds.map((w) => w.bars.SPY!.closes);
    const crisis = mean(
      worlds.map((w) =>
        lag1Autocorrelation(logReturns(w.bars.SPY!.closes), (i) => w.regimes[i + 1] === 'crisis'),
      ),
    );
    const { crisisAutocorrelation, varianceRatio20, varianceRatio60 } = REAL_FACTS;
    c.within(
      'crisis lag-1 autocorrelation',
      crisis,
      crisisAutocorrelation.low - ta,
      crisisAutocorrelation.high + ta,
    );
    const vr20 = mean(spy.map((closes) => varianceRatio(closes, 20)));
    const vr60 = mean(spy.map((closes) => varianceRatio(closes, 60)));
    c.within('20-session variance ratio', vr20, varianceRatio20.low - tv, varianceRatio20.high + tv);
    c.within('60-session variance ratio', vr60, varianceRatio60.low - tv, varianceRatio60.high + tv);
    expect(c.problems).toEqual([]);
  });
});

// ---- the real values, measured again from ../shared/data -----------------------------------------

const DATA = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
const hasData = existsSync(`${DATA}daily/spy.csv`);

interface DayBar {
  date: string;
  open: number;
  close: number;
}

function readDaily(ticker: string): Map<string, DayBar> {
  const rows = parse<Record<string, string>>(readFileSync(`${DATA}daily/${ticker}.csv`), { columns: true });
  const out = new Map<string, DayBar>();
  for (const row of rows) {
    const open = Number(row.Open);
    const close = Number(row.Close);
    if (Number.isFinite(open) && Number.isFinite(close)) out.set(row.Date!, { date: row.Date!, open, close });
  }
  return out;
}

/** Daily bars from a minute file: sessions that start at 09:30 and run at least to 12:59 (early closes). */
function readIntradayDaily(symbol: string): Map<string, DayBar> {
  const file = readFileSync(`${DATA}intraday/${symbol}_1min.csv`);
  const rows = parse<Record<string, string>>(file, { columns: true });
  const days = new Map<string, DayBar & { first: string; last: string }>();
  for (const row of rows) {
    const date = row.datetime!.slice(0, 10);
    const time = row.datetime!.slice(11, 16);
    if (time < '09:30' || time > '15:59') continue;
    const day = days.get(date);
    if (day === undefined) {
      days.set(date, { date, open: Number(row.open), close: Number(row.close), first: time, last: time });
    } else {
      day.close = Number(row.close);
      day.last = time;
    }
  }
  const out = new Map<string, DayBar>();
  for (const day of days.values()) if (day.first === '09:30' && day.last >= '12:59') out.set(day.date, day);
  return out;
}

/** Dates held by every map, between `from` and `to` inclusive, in order. */
function commonDates(maps: readonly Map<string, DayBar>[], from = '0000', to = '9999'): string[] {
  return [...maps[0]!.keys()].filter((d) => d >= from && d <= to && maps.every((m) => m.has(d))).sort();
}

const closesOn = (m: Map<string, DayBar>, dates: readonly string[]): number[] =>
  dates.map((d) => m.get(d)!.close);
const opensOn = (m: Map<string, DayBar>, dates: readonly string[]): number[] =>
  dates.map((d) => m.get(d)!.open);

const WINDOWS = [
  ['1993-01-01', '2004-12-31'],
  ['2005-01-01', '2021-12-31'],
] as const;
const RECENT = WINDOWS[1];

describe.skipIf(!hasData)(
  `the documented real facts match ../shared/data${hasData ? '' : ' (skipped: ../shared/data is not here)'}`,
  () => {
    const daily: Record<string, Map<string, DayBar>> = {};

    beforeAll(() => {
      for (const t of ['spy', 'vix', 'tlt', 'gld', 'qqq', 'xlk', 'xlf', 'xle']) daily[t] = readDaily(t);
    });

    /** SPY returns and their VIX buckets over a window (return i ends on dates[i + 1]). */
    const spyByVix = (from: string, to: string, extra: Map<string, DayBar>[] = []) => {
      const dates = commonDates([daily.spy!, daily.vix!, ...extra], from, to);
      const regimes = dates.map((_, i) => (i === 0 ? null : vixRegime(daily.vix!.get(dates[i - 1]!)!.close)));
      return { dates, returns: logReturns(closesOn(daily.spy!, dates)), regimes };
    };

    it('SPY volatility and time share per VIX bucket', () => {
      for (const regime of REGIMES) {
        const vols: number[] = [];
        const shares: number[] = [];
        for (const [from, to] of WINDOWS) {
          const { returns, regimes } = spyByVix(from, to);
          const inRegime = returns.filter((_, i) => regimes[i + 1] === regime);
          vols.push(standardDeviation(inRegime));
          shares.push(inRegime.length / returns.length);
        }
        expect(Math.min(...vols), regime).toBeCloseTo(REAL_FACTS.regimeVolatility[regime].low, 4);
        expect(Math.max(...vols), regime).toBeCloseTo(REAL_FACTS.regimeVolatility[regime].high, 4);
        expect(Math.min(...shares), regime).toBeCloseTo(REAL_FACTS.regimeShare[regime].low, 3);
        expect(Math.max(...shares), regime).toBeCloseTo(REAL_FACTS.regimeShare[regime].high, 3);
      }
    });

    it('SPY-TLT correlation per VIX bucket and the crisis autocorrelation', () => {
      const { dates, returns, regimes } = spyByVix(RECENT[0], RECENT[1], [daily.tlt!]);
      const tlt = logReturns(closesOn(daily.tlt!, dates));
      for (const regime of REGIMES) {
        const keep = (_: number, i: number): boolean => regimes[i + 1] === regime;
        expect(correlation(returns.filter(keep), tlt.filter(keep)), regime).toBeCloseTo(
          REAL_FACTS.stockBondCorrelation[regime],
          2,
        );
      }
      const autocorrelations = WINDOWS.map(([from, to]) => {
        const w = spyByVix(from, to);
        return lag1Autocorrelation(w.returns, (i) => w.regimes[i + 1] === 'crisis');
      });
      expect(Math.min(...autocorrelations)).toBeCloseTo(REAL_FACTS.crisisAutocorrelation.low, 3);
      expect(Math.max(...autocorrelations)).toBeCloseTo(REAL_FACTS.crisisAutocorrelation.high, 3);
    });

    it('SPY largest 60-session moves, variance ratios and growth', () => {
      const measured = WINDOWS.map(([from, to]) => {
        const closes = closesOn(daily.spy!, commonDates([daily.spy!], from, to));
        return {
          ...largestMoves(closes, MOVE_SESSIONS),
          vr20: varianceRatio(closes, 20),
          vr60: varianceRatio(closes, 60),
          growth: annualGrowth(closes),
        };
      });
      const span = (key: keyof (typeof measured)[number]) => [
        Math.min(...measured.map((m) => m[key])),
        Math.max(...measured.map((m) => m[key])),
      ];
      const expectRange = (
        key: keyof (typeof measured)[number],
        real: { low: number; high: number },
        digits: number,
      ) => {
        const [low, high] = span(key);
        expect(low, key).toBeCloseTo(real.low, digits);
        expect(high, key).toBeCloseTo(real.high, digits);
      };
      expectRange('rise', REAL_FACTS.largestRise, 3);
      expectRange('fall', REAL_FACTS.largestFall, 3);
      expectRange('vr20', REAL_FACTS.varianceRatio20, 2);
      expectRange('vr60', REAL_FACTS.varianceRatio60, 2);
      expectRange('growth', REAL_FACTS.annualGrowth, 3);
    });

    it('correlation with SPY and overnight share of the funds, 2005-2021', () => {
      for (const [symbol, value] of Object.entries(REAL_FACTS.correlationWithSpy)) {
        const fund = daily[symbol.toLowerCase()]!;
        const dates = commonDates([daily.spy!, fund], RECENT[0], RECENT[1]);
        const corr = correlation(logReturns(closesOn(daily.spy!, dates)), logReturns(closesOn(fund, dates)));
        expect(corr, symbol).toBeCloseTo(value, 2);
      }
      for (const [symbol, value] of Object.entries(REAL_FACTS.overnightShare)) {
        const fund = daily[symbol.toLowerCase()]!;
        const dates = commonDates([fund], RECENT[0], RECENT[1]);
        expect(overnightShare(opensOn(fund, dates), closesOn(fund, dates)), symbol).toBeCloseTo(value, 2);
      }
    });

    it('single stocks: correlation with SPY and overnight share (minute files)', () => {
      const spy = readIntradayDaily('SPY');
      const corrs: number[] = [];
      const shares: number[] = [];
      for (const symbol of ['NVDA', 'META', 'AVGO', 'GS']) {
        const stock = readIntradayDaily(symbol);
        const dates = commonDates([spy, stock]);
        corrs.push(correlation(logReturns(closesOn(spy, dates)), logReturns(closesOn(stock, dates))));
        shares.push(overnightShare(opensOn(stock, dates), closesOn(stock, dates)));
      }
      expect(Math.min(...corrs)).toBeCloseTo(REAL_FACTS.singleStockCorrelation.low, 2);
      expect(Math.max(...corrs)).toBeCloseTo(REAL_FACTS.singleStockCorrelation.high, 2);
      expect(Math.min(...shares)).toBeCloseTo(REAL_FACTS.singleStockOvernightShare.low, 2);
      expect(Math.max(...shares)).toBeCloseTo(REAL_FACTS.singleStockOvernightShare.high, 2);
    });
  },
);

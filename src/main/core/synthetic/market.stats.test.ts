/**
 * Statistical sanity of the demo market with fixed seeds: does it look like a real US market? The
 * bands are wide on purpose (a year of data is noisy) but each fails when a part of the model breaks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UNIVERSE, SyntheticMarket } from './market';
import type { Regime } from './market';
import { correlation as corr, logReturns, mean, standardDeviation as sd } from './stylised-facts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const FIRST_OPEN = Date.UTC(2024, 0, 2, 14, 30);
const SESSION_MINUTES = 390;

/** 250 sessions (a year) at minute resolution. */
describe('minute-level statistics over 250 sessions', () => {
  const SESSIONS = 250;
  let symbols: string[] = [];
  const closes: Record<string, number[]> = {};
  const gaps: Record<string, number[]> = {};
  const intraday: Record<string, number[]> = {};
  const volumeByMinute = new Float64Array(SESSION_MINUTES);
  const absReturnByMinute = new Float64Array(SESSION_MINUTES);
  const regimes = new Set<Regime>();
  const volumeTotal: Record<string, number> = {};

  beforeAll(() => {
    const market = new SyntheticMarket({ seed: 20240102 });
    symbols = market.symbols.map((s) => s.symbol);
    for (const s of symbols) {
      closes[s] = [];
      gaps[s] = [];
      intraday[s] = [];
      volumeTotal[s] = 0;
    }
    for (let d = 0; d < SESSIONS; d++) {
      const open = FIRST_OPEN + d * DAY;
      const session = { open, close: open + SESSION_MINUTES * MINUTE };
      const opens: number[] = [];
      for (let m = 0; m < SESSION_MINUTES; m++) {
        const { bars } = market.generateMinute(open + m * MINUTE, session, false);
        bars.forEach((bar, i) => {
          if (m === 0) {
            opens[i] = bar.open;
            const previous = closes[bar.symbol]!.at(-1);
            if (previous !== undefined) gaps[bar.symbol]!.push(Math.log(bar.open / previous));
          }
          // Volume and |return| per minute of the session, summed over symbols, each scaled by its own
          // level, so every symbol counts alike.
          volumeByMinute[m] = volumeByMinute[m]! + bar.volume / DEFAULT_UNIVERSE[i]!.minuteVolume;
          absReturnByMinute[m] = absReturnByMinute[m]! + Math.abs(Math.log(bar.close / bar.open));
          volumeTotal[bar.symbol] = volumeTotal[bar.symbol]! + bar.volume;
          if (m === SESSION_MINUTES - 1) {
            closes[bar.symbol]!.push(bar.close);
            intraday[bar.symbol]!.push(Math.log(bar.close / opens[i]!));
          }
        });
      }
      regimes.add(market.regime);
    }
  });

  it('has annualised volatilities in a realistic band per symbol', () => {
    const bands: Record<string, [number, number]> = {
      SPY: [0.1, 0.26],
      QQQ: [0.12, 0.3],
      TLT: [0.08, 0.2],
      GLD: [0.09, 0.24],
      XLK: [0.12, 0.32],
      XLF: [0.12, 0.35],
      XLE: [0.15, 0.4],
      AAPL: [0.18, 0.45],
      NVDA: [0.3, 0.75],
      JPM: [0.15, 0.42],
    };
    for (const s of symbols) {
      const vol = sd(logReturns(closes[s]!)) * Math.sqrt(252);
      const [low, high] = bands[s]!;
      expect(vol, s).toBeGreaterThan(low);
      expect(vol, s).toBeLessThan(high);
    }
    // The ordering a trader expects: NVDA the wildest, SPY calmer than single stocks.
    const vol = (s: string): number => sd(logReturns(closes[s]!));
    expect(vol('NVDA')).toBeGreaterThan(vol('AAPL'));
    expect(vol('AAPL')).toBeGreaterThan(vol('SPY'));
  });

  it('moves SPY and QQQ together, SPY and GLD hardly at all', () => {
    const r = (s: string): number[] => logReturns(closes[s]!);
    expect(corr(r('SPY'), r('QQQ'))).toBeGreaterThan(0.8);
    expect(corr(r('QQQ'), r('XLK'))).toBeGreaterThan(0.8);
    expect(corr(r('SPY'), r('JPM'))).toBeGreaterThan(0.4);
    expect(Math.abs(corr(r('SPY'), r('GLD')))).toBeLessThan(0.3);
    expect(corr(r('SPY'), r('TLT'))).toBeLessThan(0.1);
  });

  it('trades more in the first and last half hour than at midday (a U-shape)', () => {
    const half = (from: number): number => mean(Array.from(volumeByMinute.slice(from, from + 30)));
    const midday = half(180);
    expect(half(0)).toBeGreaterThan(1.8 * midday);
    expect(half(SESSION_MINUTES - 30)).toBeGreaterThan(1.8 * midday);
  });

  it('is more volatile at the open than at midday', () => {
    const half = (from: number): number => mean(Array.from(absReturnByMinute.slice(from, from + 30)));
    expect(half(0)).toBeGreaterThan(1.5 * half(180));
    expect(half(SESSION_MINUTES - 30)).toBeGreaterThan(half(180));
  });

  it('opens with overnight gaps of a realistic size', () => {
    for (const s of symbols) {
      const g = gaps[s]!;
      const nonZero = g.filter((x) => x !== 0).length / g.length;
      expect(nonZero, s).toBeGreaterThan(0.85);
      // A real share of the daily variance happens overnight, but less than half (GLD about half).
      const share = sd(g) ** 2 / (sd(g) ** 2 + sd(intraday[s]!) ** 2);
      expect(share, s).toBeGreaterThan(0.1);
      expect(share, s).toBeLessThan(0.75);
    }
  });

  it('visits more than one regime in a year', () => {
    expect(regimes.size).toBeGreaterThanOrEqual(2);
  });

  it('has volume levels of the real symbols: SPY 60-120k shares a minute, NVDA more, TLT less', () => {
    const perMinute = (s: string): number => volumeTotal[s]! / (SESSIONS * SESSION_MINUTES);
    expect(perMinute('SPY')).toBeGreaterThan(60_000);
    expect(perMinute('SPY')).toBeLessThan(120_000);
    expect(perMinute('NVDA')).toBeGreaterThan(2 * perMinute('SPY'));
    expect(perMinute('TLT')).toBeLessThan(perMinute('SPY'));
  });
});

/** Twenty years at daily resolution: enough crises to measure them. */
describe('regimes over 5000 daily sessions', () => {
  const SESSIONS = 5000;
  const byRegime: Record<Regime, { spy: number[]; tlt: number[]; qqq: number[]; spyVolume: number[] }> = {
    calm: { spy: [], tlt: [], qqq: [], spyVolume: [] },
    trending: { spy: [], tlt: [], qqq: [], spyVolume: [] },
    crisis: { spy: [], tlt: [], qqq: [], spyVolume: [] },
  };
  const visits: Record<Regime, number> = { calm: 0, trending: 0, crisis: 0 };
  let crisisEpisodes = 0;
  let longestCrisis = 0;

  beforeAll(() => {
    const market = new SyntheticMarket({ seed: 7 });
    let previous = market.prices();
    let run = 0;
    let last: Regime = market.regime;
    for (let d = 0; d < SESSIONS; d++) {
      const open = FIRST_OPEN + d * DAY;
      const bars = market.generateDay({ open, close: open + SESSION_MINUTES * MINUTE });
      const regime = market.regime;
      visits[regime]++;
      if (regime === 'crisis') {
        run = last === 'crisis' ? run + 1 : 1;
        if (last !== 'crisis') crisisEpisodes++;
        longestCrisis = Math.max(longestCrisis, run);
      }
      last = regime;
      const close = (s: string): number => bars.find((b) => b.symbol === s)!.close;
      const bucket = byRegime[regime];
      bucket.spy.push(Math.log(close('SPY') / previous.SPY!));
      bucket.tlt.push(Math.log(close('TLT') / previous.TLT!));
      bucket.qqq.push(Math.log(close('QQQ') / previous.QQQ!));
      bucket.spyVolume.push(bars[0]!.volume);
      previous = market.prices();
    }
  });

  it('visits every regime, crisis rarely and briefly', () => {
    expect(visits.calm / SESSIONS).toBeGreaterThan(0.4);
    expect(visits.trending / SESSIONS).toBeGreaterThan(0.15);
    expect(visits.crisis / SESSIONS).toBeGreaterThan(0.02);
    expect(visits.crisis / SESSIONS).toBeLessThan(0.15);
    expect(crisisEpisodes).toBeGreaterThan(10);
    expect(visits.crisis / crisisEpisodes).toBeLessThan(20);
    expect(longestCrisis).toBeLessThan(80);
  });

  it('turns SPY-TLT correlation clearly negative in a crisis (flight to quality)', () => {
    const crisis = corr(byRegime.crisis.spy, byRegime.crisis.tlt);
    expect(crisis).toBeLessThan(-0.35);
    expect(crisis).toBeLessThan(corr(byRegime.calm.spy, byRegime.calm.tlt) - 0.2);
    // ...and bonds rally on average while stocks fall.
    expect(mean(byRegime.crisis.tlt)).toBeGreaterThan(0);
    expect(mean(byRegime.crisis.spy)).toBeLessThan(0);
  });

  it('makes crises more volatile, more correlated and busier than calm markets', () => {
    expect(sd(byRegime.crisis.spy)).toBeGreaterThan(2.5 * sd(byRegime.calm.spy));
    expect(corr(byRegime.crisis.spy, byRegime.crisis.qqq)).toBeGreaterThan(
      corr(byRegime.calm.spy, byRegime.calm.qqq),
    );
    expect(mean(byRegime.crisis.spyVolume)).toBeGreaterThan(1.5 * mean(byRegime.calm.spyVolume));
  });

  it('has fat tails: more big days than a normal law would give', () => {
    const all = [...byRegime.calm.spy, ...byRegime.trending.spy, ...byRegime.crisis.spy];
    const s = sd(all);
    const beyond4 = all.filter((r) => Math.abs(r) > 4 * s).length / all.length;
    // A normal law puts 0.006% of days beyond 4 sd; real SPY about 0.8%.
    expect(beyond4).toBeGreaterThan(0.002);
  });
});

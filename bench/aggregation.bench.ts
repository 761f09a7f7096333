/**
 * Bar aggregation throughput: authoritative 1-minute bars, and trades, through every timeframe under the
 * NYSE calendar, per bar as a live feed delivers them (`onMinuteBar`, then reading the bars it returns).
 *
 * Minute bars are the real intraday set (../shared/data/intraday, ordered by start then symbol) when it
 * is there, else seeded random walks; trades are seeded random walks. Two output modes are measured:
 * closed bars only, with forming bars read on demand (what the engine uses: live, replay and import),
 * and every forming update returned (a caller that wants them per bar or trade). Beside them, in the same run, the limit: a bare per-bar aggregator
 * over the same bars (session and bucket arithmetic, folds, a closed bar object per closed bucket, and
 * nothing else: no corrections, no restore, no late data). Each figure is the fastest of many passes,
 * taken in turns with the others (see fastestPasses).
 */
import type { Bar, Trade } from '../src/shared/domain';
import { BarAggregator, type BarAggregatorOptions } from '../src/main/core/bar-aggregator';
import { nyseCalendar, type Session } from '../src/main/core/calendar';
import { timeframeMs } from '../src/main/core/session-buckets';
import { Random } from '../src/main/core/synthetic/random';
import { loadIntradayMinutes } from './lib/intraday';
import { report } from './lib/report';

/** A seeded uniform [0, 1) source: the same random series on every run. */
const seeded = (seed: number): (() => number) => {
  const random = Random.fromSeed(seed);
  return () => random.uniform();
};

const MINUTE = 60_000;
const SYMBOLS = ['SPY', 'QQQ', 'IWM', 'TLT', 'GLD', 'XLE', 'AAPL', 'MSFT', 'NVDA', 'AMZN'];
const BAR_SESSIONS = 60;
const TRADE_SESSIONS = 5;
const TRADES_PER_MINUTE = 20;
const HIGHER = ['5m', '15m', '1h', '4h', '1D'] as const;

function sessions(count: number): Session[] {
  const out: Session[] = [];
  let s = nyseCalendar.sessionOnOrAfter(Date.parse('2024-01-02T00:00:00Z'));
  for (let i = 0; i < count; i++, s = nyseCalendar.nextSession(s)) out.push(s);
  return out;
}

function generatedMinuteBars(days: readonly Session[]): Bar[] {
  const rand = seeded(1);
  const prices = SYMBOLS.map(() => 100);
  const bars: Bar[] = [];
  for (const session of days) {
    for (let start = session.open; start < session.close; start += MINUTE) {
      SYMBOLS.forEach((symbol, i) => {
        const open = prices[i]!;
        const close = Math.max(1, open * (1 + (rand() - 0.5) * 0.004));
        const high = Math.max(open, close) * (1 + rand() * 0.001);
        const low = Math.min(open, close) * (1 - rand() * 0.001);
        prices[i] = close;
        const volume = 100 + Math.floor(rand() * 10_000);
        bars.push({ symbol, timeframe: '1m', start, open, high, low, close, volume, closed: true });
      });
    }
  }
  return bars;
}

function generatedTrades(days: readonly Session[]): Trade[] {
  const rand = seeded(2);
  const prices = SYMBOLS.map(() => 100);
  const out: Trade[] = [];
  const step = MINUTE / (TRADES_PER_MINUTE * SYMBOLS.length);
  for (const session of days) {
    for (let t = session.open; t < session.close; t += step) {
      const i = Math.floor(rand() * SYMBOLS.length);
      const price = Math.max(1, prices[i]! * (1 + (rand() - 0.5) * 0.001));
      prices[i] = price;
      out.push({ symbol: SYMBOLS[i]!, time: Math.floor(t), price, size: 1 + Math.floor(rand() * 500) });
    }
  }
  return out;
}

/** Runs the bars through a live aggregator as a feed delivers them; returns what it emitted (volume sum). */
function aggregate(bars: readonly Bar[], options: BarAggregatorOptions): number {
  const agg = new BarAggregator(nyseCalendar, options);
  let sum = 0;
  let session = nyseCalendar.sessionOnOrAfter(bars[0]!.start);
  for (const bar of bars) {
    if (bar.start >= session.close) {
      for (const b of agg.onTime(session.close)) sum += b.volume;
      session = nyseCalendar.sessionOnOrAfter(bar.start);
    }
    const out = agg.onMinuteBar(bar);
    for (let i = 0; i < out.length; i++) sum += out[i]!.volume;
  }
  for (const b of agg.onTime(session.close)) sum += b.volume;
  return sum;
}

/** Per bucket level: start, open, high, low, close, volume. */
const SLOT = 6;

/**
 * A closed bar as the bare loop makes it: the same fields as a Bar, but a shape of its own, so that its
 * numbers (from a Float64Array) do not change how V8 stores the fields of the Bars the others read.
 */
class BareBar {
  readonly closed = true;
  constructor(
    readonly symbol: string,
    readonly timeframe: string,
    readonly start: number,
    readonly open: number,
    readonly high: number,
    readonly low: number,
    readonly close: number,
    readonly volume: number,
  ) {}
}

/**
 * The limit: the least a per-bar aggregator into 5m/15m/1h/4h/1D must do, with its state in one typed
 * array per symbol. Closed bars come out when the next bucket starts (not at the bucket's end), and
 * nothing forming is built.
 */
function bareAggregate(bars: readonly Bar[]): number {
  const lengths = HIGHER.map(timeframeMs);
  const states = new Map<string, { session: Session | null; f: Float64Array }>();
  let sum = 0;
  for (let k = 0; k < bars.length; k++) {
    const bar = bars[k]!;
    let st = states.get(bar.symbol);
    if (st === undefined) {
      st = { session: null, f: new Float64Array(HIGHER.length * SLOT).fill(-1) };
      states.set(bar.symbol, st);
    }
    const t = bar.start;
    let session = st.session;
    if (session === null || t < session.open || t >= session.close) {
      session = nyseCalendar.sessionAt(t);
      if (session === null) continue;
      st.session = session;
    }
    const f = st.f;
    for (let i = 0; i < HIGHER.length; i++) {
      const length = lengths[i]!;
      const start =
        length === 0 ? session.open : session.open + Math.floor((t - session.open) / length) * length;
      const o = i * SLOT;
      if (start !== f[o]) {
        if (f[o] !== -1) {
          const closed = new BareBar(
            bar.symbol,
            HIGHER[i]!,
            f[o]!,
            f[o + 1]!,
            f[o + 2]!,
            f[o + 3]!,
            f[o + 4]!,
            f[o + 5]!,
          );
          sum += closed.volume;
        }
        f[o] = start;
        f[o + 1] = bar.open;
        f[o + 2] = bar.high;
        f[o + 3] = bar.low;
        f[o + 5] = bar.volume;
      } else {
        if (bar.high > f[o + 2]!) f[o + 2] = bar.high;
        if (bar.low < f[o + 3]!) f[o + 3] = bar.low;
        f[o + 5] = f[o + 5]! + bar.volume;
      }
      f[o + 4] = bar.close;
    }
    sum += bar.volume;
  }
  return sum;
}

/**
 * The fastest pass of each of `runs`, in seconds, over round after round of one pass each (after one
 * warm-up round) for about `budgetMs`: on a shared machine the fastest pass is the one least disturbed,
 * and taking turns exposes every variant to the same disturbances.
 */
function fastestPasses(runs: readonly (() => void)[], budgetMs: number): number[] {
  for (const run of runs) run();
  const fastest = runs.map(() => Infinity);
  const started = process.hrtime.bigint();
  do {
    runs.forEach((run, i) => {
      const t0 = process.hrtime.bigint();
      run();
      fastest[i] = Math.min(fastest[i]!, Number(process.hrtime.bigint() - t0) / 1e9);
    });
  } while (Number(process.hrtime.bigint() - started) / 1e6 < budgetMs);
  return fastest;
}

export default async function aggregationBench(): Promise<void> {
  const real = loadIntradayMinutes();
  if (real === null)
    console.log('aggregation: ../shared/data/intraday is missing: using generated minute bars');
  const bars = real?.bars ?? generatedMinuteBars(sessions(BAR_SESSIONS));
  const tradeDays = sessions(TRADE_SESSIONS);
  const tradeList = generatedTrades(tradeDays);
  let emitted = 0;

  const throughTrades = (options: BarAggregatorOptions) => () => {
    const agg = new BarAggregator(nyseCalendar, options);
    for (const trade of tradeList) emitted += agg.onTrade(trade).length;
    emitted += agg.onTime(tradeDays[tradeDays.length - 1]!.close).length;
  };
  const [closedRun, formingRun, bareRun, tradeRun, tradeFormingRun] = fastestPasses(
    [
      () => (emitted += aggregate(bars, { forming: 'on-demand' })),
      () => (emitted += aggregate(bars, { forming: 'emit' })),
      () => (emitted += bareAggregate(bars)),
      throughTrades({ forming: 'on-demand' }),
      throughTrades({ forming: 'emit' }),
    ],
    10_000,
  ) as [number, number, number, number, number];

  // Using the output keeps the work observable (and checks there was some).
  if (!(emitted > 0)) throw new Error('the aggregator emitted nothing');
  const perSecond = (seconds: number, count: number): number => count / seconds;
  report(
    'aggregation',
    [
      {
        name: '1m bars through all timeframes, closed bars out, forming on demand (the engine)',
        value: perSecond(closedRun, bars.length),
        unit: 'bars/s',
      },
      {
        name: '1m bars through all timeframes, every forming update out too',
        value: perSecond(formingRun, bars.length),
        unit: 'bars/s',
      },
      {
        name: 'limit: bare per-bar aggregator, same bars',
        value: perSecond(bareRun, bars.length),
        unit: 'bars/s',
      },
      {
        name: 'trades through all timeframes, closed bars out, forming on demand (the engine)',
        value: perSecond(tradeRun, tradeList.length),
        unit: 'trades/s',
      },
      {
        name: 'trades through all timeframes, every forming update out too',
        value: perSecond(tradeFormingRun, tradeList.length),
        unit: 'trades/s',
      },
    ],
    {
      minuteBarsSource: real === null ? 'generated' : 'shared/data/intraday/*_1min.csv',
      symbols: real?.symbols.length ?? SYMBOLS.length,
      minuteBars: bars.length,
      trades: tradeList.length,
      tradeSessions: TRADE_SESSIONS,
      calendar: nyseCalendar.id,
    },
  );
  await Promise.resolve();
}

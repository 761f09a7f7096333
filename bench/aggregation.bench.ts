/**
 * Bar aggregation throughput: authoritative 1-minute bars, and trades, through every timeframe under the
 * NYSE calendar. Inputs are generated up front (random walks, seeded) and interleaved across symbols in
 * time order as a live feed delivers them; only the aggregation is timed.
 */
import type { Bar, Trade } from '../src/shared/domain';
import { BarAggregator } from '../src/main/core/bar-aggregator';
import { nyseCalendar, type Session } from '../src/main/core/calendar';
import { report, timeIt } from './lib/report';
import { Random } from '../src/main/core/synthetic/random';

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

function sessions(count: number): Session[] {
  const out: Session[] = [];
  let s = nyseCalendar.sessionOnOrAfter(Date.parse('2024-01-02T00:00:00Z'));
  for (let i = 0; i < count; i++, s = nyseCalendar.nextSession(s)) out.push(s);
  return out;
}

function minuteBars(days: readonly Session[]): Bar[] {
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

function trades(days: readonly Session[]): Trade[] {
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

export default async function aggregationBench(): Promise<void> {
  const barDays = sessions(BAR_SESSIONS);
  const bars = minuteBars(barDays);
  const tradeDays = sessions(TRADE_SESSIONS);
  const tradeList = trades(tradeDays);
  let emitted = 0;

  const barRun = timeIt(() => {
    const agg = new BarAggregator(nyseCalendar);
    let day = 0;
    for (const bar of bars) {
      if (bar.start >= barDays[day]!.close) emitted += agg.onTime(barDays[day++]!.close).length;
      emitted += agg.onMinuteBar(bar).length;
    }
    emitted += agg.onTime(barDays[barDays.length - 1]!.close).length;
  }, 2000);

  const tradeRun = timeIt(() => {
    const agg = new BarAggregator(nyseCalendar);
    for (const trade of tradeList) emitted += agg.onTrade(trade).length;
    emitted += agg.onTime(tradeDays[tradeDays.length - 1]!.close).length;
  }, 2000);

  // Using the output keeps the work observable (and checks there was some).
  if (emitted === 0) throw new Error('the aggregator emitted nothing');
  report(
    'aggregation',
    [
      {
        name: '1m bars through all timeframes',
        value: (barRun.runs * bars.length) / barRun.seconds,
        unit: 'bars/s',
      },
      {
        name: 'trades through all timeframes',
        value: (tradeRun.runs * tradeList.length) / tradeRun.seconds,
        unit: 'trades/s',
      },
    ],
    {
      symbols: SYMBOLS.length,
      minuteBars: bars.length,
      barSessions: BAR_SESSIONS,
      trades: tradeList.length,
      tradeSessions: TRADE_SESSIONS,
      calendar: nyseCalendar.id,
    },
  );
  await Promise.resolve();
}

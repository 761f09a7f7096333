import { describe, expect, it } from 'vitest';
import { TIMEFRAMES, type Bar, type Timeframe, type Trade } from '../../shared/domain';
import { BarAggregator } from './bar-aggregator';
import { alwaysOpenCalendar, nyseCalendar, type Session, type SessionCalendar } from './calendar';
import { bucketInSession, bucketOf } from './session-buckets';
import { Random } from './synthetic/random';

/** A seeded uniform [0, 1) source: the same random series on every run. */
const seeded = (seed: number): (() => number) => {
  const random = Random.fromSeed(seed);
  return () => random.uniform();
};

const MINUTE = 60_000;
const HIGHER = TIMEFRAMES.filter((tf) => tf !== '1m');

const key = (b: Pick<Bar, 'symbol' | 'timeframe' | 'start'>): string =>
  `${b.symbol} ${b.timeframe} ${b.start}`;
const iso = (t: number): string => new Date(t).toISOString();

function minuteBar(
  symbol: string,
  start: number,
  o: number,
  h: number,
  l: number,
  c: number,
  v: number,
): Bar {
  return { symbol, timeframe: '1m', start, open: o, high: h, low: l, close: c, volume: v, closed: true };
}

/** Random-walk minute bars, in time order, with integer volumes so sums are exact. */
function randomMinutes(
  rand: () => number,
  symbol: string,
  starts: readonly number[],
  missing = 0,
  price = 100,
): Bar[] {
  const bars: Bar[] = [];
  let p = price;
  for (const start of starts) {
    if (rand() < missing) continue;
    const open = p;
    let high = p;
    let low = p;
    for (let k = 0; k < 4; k++) {
      p = Math.max(1, Math.round((p + (rand() - 0.5) * 2) * 100) / 100);
      high = Math.max(high, p);
      low = Math.min(low, p);
    }
    bars.push(minuteBar(symbol, start, open, high, low, p, 1 + Math.floor(rand() * 1000)));
  }
  return bars;
}

function sessionMinutes(session: Session): number[] {
  const out: number[] = [];
  for (let t = session.open; t < session.close; t += MINUTE) out.push(t);
  return out;
}

function sessionsBetween(calendar: SessionCalendar, from: string, to: string): Session[] {
  const out: Session[] = [];
  for (let s = calendar.sessionOnOrAfter(Date.parse(`${from}T00:00:00Z`)); s.date <= to;) {
    out.push(s);
    s = calendar.nextSession(s);
  }
  return out;
}

/** The brute-force truth: every timeframe re-aggregated from the minutes, in-session minutes only. */
function reaggregate(calendar: SessionCalendar, minutes: readonly Bar[]): Map<string, Bar> {
  const out = new Map<string, Bar>();
  for (const m of minutes) {
    out.set(key(m), { ...m, closed: true });
    const session = calendar.sessionAt(m.start);
    if (session === null) continue;
    for (const timeframe of HIGHER) {
      const { start } = bucketInSession(session, timeframe, m.start);
      const k = key({ symbol: m.symbol, timeframe, start });
      const b = out.get(k);
      out.set(
        k,
        b === undefined
          ? { ...m, timeframe, start, closed: true }
          : {
              ...b,
              high: Math.max(b.high, m.high),
              low: Math.min(b.low, m.low),
              close: m.close,
              volume: b.volume + m.volume,
            },
      );
    }
  }
  return out;
}

/**
 * Records what the aggregator emits: the latest version of each bar, frozen so that any later mutation
 * of a returned bar throws. Fails on a forming bar emitted after its bar was closed.
 */
class Recorder {
  readonly latest = new Map<string, Bar>();
  readonly emitted: Bar[] = [];
  private readonly closedKeys = new Set<string>();

  take(bars: readonly Bar[]): readonly Bar[] {
    for (const bar of bars) {
      Object.freeze(bar);
      const k = key(bar);
      if (this.closedKeys.has(k) && !bar.closed) {
        throw new Error(`${k} was emitted forming after it had closed`);
      }
      if (bar.closed) this.closedKeys.add(k);
      expect(bar.low, `${k}: low <= open, close`).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
      expect(bar.high, `${k}: high >= open, close`).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
      this.latest.set(k, bar);
      this.emitted.push(bar);
    }
    return bars;
  }

  /** The latest bars, all of which must be closed. */
  closedBars(): Map<string, Bar> {
    for (const [k, bar] of this.latest) expect(bar.closed, `${k} should have closed`).toBe(true);
    return this.latest;
  }
}

function expectSameBars(actual: Map<string, Bar>, expected: Map<string, Bar>): void {
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  expect(missing, 'bars the reference has but the aggregator never emitted').toEqual([]);
  expect(extra, 'bars the aggregator emitted that the reference does not have').toEqual([]);
  for (const [k, bar] of expected) expect(actual.get(k), k).toEqual(bar);
}

const byTf = (bars: readonly Bar[], timeframe: Timeframe): Bar[] =>
  bars.filter((b) => b.timeframe === timeframe);
const only = (bars: readonly Bar[], timeframe: Timeframe): Bar => {
  const found = byTf(bars, timeframe);
  expect(found, `exactly one ${timeframe} bar`).toHaveLength(1);
  return found[0]!;
};

const nyse = (date: string): Session => nyseCalendar.sessionOn(date)!;
/** An instant in New York time on a session date, e.g. at(s, '09:47'). */
const at = (session: Session, hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  // Session opens at 09:30 local; offsets are whole minutes from there.
  return session.open + (h! * 60 + m! - (9 * 60 + 30)) * MINUTE;
};

describe('bucketOf', () => {
  const s = nyse('2024-03-11');

  it('counts intraday buckets from the 09:30 open and clips the last to the 16:00 close', () => {
    expect(bucketOf(nyseCalendar, '1h', at(s, '15:45'))).toEqual({ start: at(s, '15:30'), end: s.close });
    expect(bucketOf(nyseCalendar, '1h', at(s, '10:29'))).toEqual({
      start: at(s, '09:30'),
      end: at(s, '10:30'),
    });
    expect(bucketOf(nyseCalendar, '4h', at(s, '13:30'))).toEqual({ start: at(s, '13:30'), end: s.close });
    expect(bucketOf(nyseCalendar, '15m', at(s, '09:44'))).toEqual({
      start: at(s, '09:30'),
      end: at(s, '09:45'),
    });
    expect(bucketOf(nyseCalendar, '1D', at(s, '12:00'))).toEqual({ start: s.open, end: s.close });
  });

  it('clips to the 13:00 early close (day after Thanksgiving)', () => {
    const early = nyse('2024-11-29');
    expect(bucketOf(nyseCalendar, '4h', at(early, '12:59'))).toEqual({ start: early.open, end: early.close });
    expect(bucketOf(nyseCalendar, '1h', at(early, '12:45'))).toEqual({
      start: at(early, '12:30'),
      end: early.close,
    });
    expect(early.close).toBe(at(early, '13:00'));
  });

  it('is null outside every session (pre-market, at the close, weekend)', () => {
    expect(bucketOf(nyseCalendar, '5m', at(s, '09:29'))).toBeNull();
    expect(bucketOf(nyseCalendar, '1D', s.close)).toBeNull();
    expect(bucketOf(nyseCalendar, '1D', Date.parse('2024-03-09T15:00:00Z'))).toBeNull();
  });

  it('uses UTC days and 4h blocks from midnight under the 24/7 calendar', () => {
    const t = Date.parse('2024-03-09T05:17:00Z');
    expect(bucketOf(alwaysOpenCalendar, '4h', t)).toEqual({
      start: Date.parse('2024-03-09T04:00:00Z'),
      end: Date.parse('2024-03-09T08:00:00Z'),
    });
    expect(bucketOf(alwaysOpenCalendar, '1D', t)?.start).toBe(Date.parse('2024-03-09T00:00:00Z'));
  });
});

describe('BarAggregator against a brute-force re-aggregation', () => {
  // Thanksgiving week 2024: a holiday (Nov 28), an early close (Nov 29), a weekend, then full days.
  const sessions = sessionsBetween(nyseCalendar, '2024-11-25', '2024-12-03');

  it.each([1, 2, 3, 4])('builds every timeframe of minute bars exactly (seed %i)', (seed) => {
    const rand = seeded(seed);
    const minutes: Bar[] = [];
    for (const symbol of ['AAA', 'BBB']) {
      for (const session of sessions) {
        const preMarket = Array.from({ length: 5 }, (_, i) => session.open - 60 * MINUTE + i * MINUTE);
        minutes.push(...randomMinutes(rand, symbol, [...preMarket, ...sessionMinutes(session)], 0.3));
      }
    }
    minutes.sort((a, b) => a.start - b.start);
    const agg = new BarAggregator(nyseCalendar);
    const rec = new Recorder();
    for (const m of minutes) {
      // Sometimes the clock ticks past the minute before its bar arrives (live bars come late).
      if (rand() < 0.2) rec.take(agg.onTime(m.start + MINUTE + 1000));
      rec.take(agg.onMinuteBar(m));
      if (rand() < 0.1) rec.take(agg.onTime(m.start + MINUTE * Math.floor(1 + rand() * 20)));
    }
    rec.take(agg.onTime(Date.parse('2024-12-10T00:00:00Z')));
    expectSameBars(rec.closedBars(), reaggregate(nyseCalendar, minutes));
  });

  it('builds every timeframe of trades exactly, with the forming bars up to date after each trade', () => {
    const rand = seeded(7);
    const trades: Trade[] = [];
    for (const session of sessions.slice(2, 6)) {
      for (let t = session.open - 10 * MINUTE; t < session.close; t += Math.floor(rand() * 90_000)) {
        const symbol = rand() < 0.5 ? 'AAA' : 'BBB';
        trades.push({
          symbol,
          time: t,
          price: 100 + Math.round(rand() * 500) / 100,
          size: 1 + Math.floor(rand() * 9),
        });
      }
    }
    const agg = new BarAggregator(nyseCalendar);
    const rec = new Recorder();
    const asMinutes: Bar[] = [];
    for (const trade of trades) {
      const out = rec.take(agg.onTrade(trade));
      const minuteStart = Math.floor(trade.time / MINUTE) * MINUTE;
      const last = asMinutes.findLast((m) => m.symbol === trade.symbol);
      if (last !== undefined && last.start === minuteStart) {
        asMinutes[asMinutes.lastIndexOf(last)] = {
          ...last,
          high: Math.max(last.high, trade.price),
          low: Math.min(last.low, trade.price),
          close: trade.price,
          volume: last.volume + trade.size,
        };
      } else {
        asMinutes.push(
          minuteBar(
            trade.symbol,
            minuteStart,
            trade.price,
            trade.price,
            trade.price,
            trade.price,
            trade.size,
          ),
        );
      }
      // Each trade returns its symbol's forming bars, and they agree with the truth so far.
      const inSession = nyseCalendar.sessionAt(trade.time) !== null;
      const forming = out.filter((b) => !b.closed);
      expect(forming.map((b) => b.timeframe)).toEqual(inSession ? [...TIMEFRAMES] : ['1m']);
      const since = nyseCalendar.sessionOnOrBefore(trade.time).open;
      const truth = reaggregate(
        nyseCalendar,
        asMinutes.filter((m) => m.symbol === trade.symbol && m.start >= since),
      );
      for (const bar of forming) expect(bar).toEqual({ ...truth.get(key(bar)), closed: false });
    }
    rec.take(agg.onTime(Date.parse('2024-12-10T00:00:00Z')));
    expectSameBars(rec.closedBars(), reaggregate(nyseCalendar, asMinutes));
  });

  it('counts authoritative minute bars once, whatever trades built before them', () => {
    const rand = seeded(11);
    const session = sessions[1]!;
    const minutes = randomMinutes(rand, 'AAA', sessionMinutes(session), 0.2);
    const agg = new BarAggregator(nyseCalendar);
    const rec = new Recorder();
    for (const m of minutes) {
      // Trades inside the minute that the authoritative bar does not exactly match (odd lots, filters).
      for (let k = 0; k < 3; k++) {
        const price = m.low + rand() * (m.high - m.low);
        rec.take(agg.onTrade({ symbol: 'AAA', time: m.start + k * 15_000, price, size: 100 }));
      }
      rec.take(agg.onMinuteBar(m));
    }
    rec.take(agg.onTime(session.close));
    expectSameBars(rec.closedBars(), reaggregate(nyseCalendar, minutes));
  });

  it('builds every timeframe under the 24/7 calendar, across UTC midnight and a weekend', () => {
    const rand = seeded(5);
    const from = Date.parse('2024-03-08T20:00:00Z');
    const starts = Array.from({ length: 3 * 1440 }, (_, i) => from + i * MINUTE);
    const minutes = randomMinutes(rand, 'BTC/USD', starts, 0.5, 60_000);
    const agg = new BarAggregator(alwaysOpenCalendar);
    const rec = new Recorder();
    for (const m of minutes) rec.take(agg.onMinuteBar(m));
    rec.take(agg.onTime(from + 4 * 1440 * MINUTE));
    const expected = reaggregate(alwaysOpenCalendar, minutes);
    expectSameBars(rec.closedBars(), expected);
    const days = [...expected.values()].filter((b) => b.timeframe === '1D').map((b) => iso(b.start));
    expect(days, 'one 1D bar per UTC day, weekend included').toEqual([
      '2024-03-08T00:00:00.000Z',
      '2024-03-09T00:00:00.000Z',
      '2024-03-10T00:00:00.000Z',
      '2024-03-11T00:00:00.000Z',
    ]);
  });
});

describe('BarAggregator: forming bars', () => {
  const s = nyse('2024-03-11');

  it('replaces the minute built from trades with the authoritative minute bar, in place', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onTrade({ symbol: 'SPY', time: at(s, '09:30') + 1000, price: 500, size: 10 });
    agg.onTrade({ symbol: 'SPY', time: at(s, '09:30') + 2000, price: 510, size: 10 });
    const out = agg.onMinuteBar(minuteBar('SPY', at(s, '09:30'), 501, 505, 499, 504, 1000));
    expect(only(out, '1m'), 'the minute bar wins over the trades, and is closed').toEqual(
      minuteBar('SPY', at(s, '09:30'), 501, 505, 499, 504, 1000),
    );
    const fiveMinute = only(out, '5m');
    expect(fiveMinute.closed, '09:30 is not the end of the 09:30-09:35 bucket').toBe(false);
    expect(fiveMinute, 'no trace of the trades (high 510, volume 20)').toMatchObject({
      open: 501,
      high: 505,
      low: 499,
      close: 504,
      volume: 1000,
    });
    expect(out.map((b) => b.timeframe)).toEqual([...TIMEFRAMES]);
  });

  it('closes the 5m bar with the 09:34 minute, and starts the next with the 09:35 trade', () => {
    const agg = new BarAggregator(nyseCalendar);
    for (let i = 0; i < 4; i++)
      agg.onMinuteBar(minuteBar('SPY', at(s, '09:30') + i * MINUTE, 10, 11, 9, 10, 1));
    const out = agg.onMinuteBar(minuteBar('SPY', at(s, '09:34'), 10, 12, 8, 11, 1));
    expect(only(out, '5m')).toMatchObject({
      start: at(s, '09:30'),
      closed: true,
      high: 12,
      low: 8,
      close: 11,
      volume: 5,
    });
    expect(only(out, '15m').closed).toBe(false);
    const next = agg.onTrade({ symbol: 'SPY', time: at(s, '09:35') + 5, price: 11.5, size: 3 });
    expect(
      next.every((b) => !b.closed),
      'nothing left to close',
    ).toBe(true);
    expect(only(next, '5m')).toMatchObject({ start: at(s, '09:35'), open: 11.5, volume: 3 });
    expect(only(next, '15m')).toMatchObject({
      start: at(s, '09:30'),
      open: 10,
      high: 12,
      close: 11.5,
      volume: 8,
    });
  });

  it('returns the bars a trade closes first, then the forming ones', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onTrade({ symbol: 'SPY', time: at(s, '09:30'), price: 10, size: 1 });
    const out = agg.onTrade({ symbol: 'SPY', time: at(s, '09:35'), price: 11, size: 1 });
    expect(out.map((b) => `${b.timeframe}:${b.closed}`)).toEqual([
      '1m:true',
      '5m:true',
      ...TIMEFRAMES.map((tf) => `${tf}:false`),
    ]);
  });

  it('starts a bar at its bucket start when the first trade comes later (missing start)', () => {
    const agg = new BarAggregator(nyseCalendar);
    const out = agg.onTrade({ symbol: 'THIN', time: at(s, '09:47') + 30_000, price: 20, size: 5 });
    expect(Object.fromEntries(out.map((b) => [b.timeframe, iso(b.start)]))).toEqual({
      '1m': iso(at(s, '09:47')),
      '5m': iso(at(s, '09:45')),
      '15m': iso(at(s, '09:45')),
      '1h': iso(at(s, '09:30')),
      '4h': iso(at(s, '09:30')),
      '1D': iso(s.open),
    });
  });

  it('closes bars on the clock when a thin symbol never trades again (missing end)', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onTrade({ symbol: 'THIN', time: at(s, '15:52'), price: 20, size: 5 });
    expect(agg.onTime(at(s, '15:52') + 59_999), 'the minute has not ended yet').toEqual([]);
    const first = agg.onTime(at(s, '15:55'));
    expect(first.map((b) => `${b.timeframe} ${iso(b.start)}`)).toEqual([
      `1m ${iso(at(s, '15:52'))}`,
      `5m ${iso(at(s, '15:50'))}`,
    ]);
    expect(first.every((b) => b.closed)).toBe(true);
    const rest = agg.onTime(s.close);
    expect(rest.map((b) => `${b.timeframe} ${iso(b.start)}`)).toEqual([
      `15m ${iso(at(s, '15:45'))}`,
      `1h ${iso(at(s, '15:30'))}`,
      `4h ${iso(at(s, '13:30'))}`,
      `1D ${iso(s.open)}`,
    ]);
    expect(agg.onTime(s.close + 3_600_000), 'nothing closes twice').toEqual([]);
  });

  it('clips buckets at an early close: the 12:59 minute closes the 4h and 1h bars and the day', () => {
    const early = nyse('2024-11-29');
    const agg = new BarAggregator(nyseCalendar);
    agg.onMinuteBar(minuteBar('SPY', at(early, '12:58'), 10, 10, 10, 10, 1));
    const out = agg.onMinuteBar(minuteBar('SPY', at(early, '12:59'), 10, 10, 10, 10, 1));
    expect(
      out.every((b) => b.closed),
      'every bucket ends at 13:00',
    ).toBe(true);
    expect(Object.fromEntries(out.map((b) => [b.timeframe, iso(b.start)]))).toEqual({
      '1m': iso(at(early, '12:59')),
      '5m': iso(at(early, '12:55')),
      '15m': iso(at(early, '12:45')),
      '1h': iso(at(early, '12:30')),
      '4h': iso(early.open),
      '1D': iso(early.open),
    });
    expect(only(out, '1D').volume).toBe(2);
  });
});

describe('BarAggregator: gaps', () => {
  it('closes Friday on Monday morning and never merges the two sessions', () => {
    const friday = nyse('2024-03-08');
    const monday = nyse('2024-03-11');
    const agg = new BarAggregator(nyseCalendar);
    agg.onTrade({ symbol: 'SPY', time: at(friday, '15:58'), price: 10, size: 1 });
    const out = agg.onTrade({ symbol: 'SPY', time: at(monday, '09:31'), price: 12, size: 2 });
    const closed = out.filter((b) => b.closed);
    expect(closed.map((b) => b.timeframe)).toEqual([...TIMEFRAMES]);
    expect(
      closed.every((b) => b.volume === 1 && b.close === 10),
      "Friday's bars hold Friday only",
    ).toBe(true);
    expect(only(closed, '1D').start).toBe(friday.open);
    const forming = out.filter((b) => !b.closed);
    expect(only(forming, '1D')).toMatchObject({ start: monday.open, open: 12, volume: 2 });
    expect(only(forming, '4h').start, 'the 4h bucket restarts at the Monday open').toBe(monday.open);
  });

  it('steps over a holiday (Good Friday 2025) the same way', () => {
    const thursday = nyse('2025-04-17');
    const monday = nyse('2025-04-21');
    const agg = new BarAggregator(nyseCalendar);
    agg.onMinuteBar(minuteBar('SPY', at(thursday, '12:00'), 10, 10, 10, 10, 1));
    const out = agg.onMinuteBar(minuteBar('SPY', at(monday, '09:30'), 20, 20, 20, 20, 1));
    expect(
      only(
        out.filter((b) => b.closed && b.start === thursday.open),
        '1D',
      ).volume,
    ).toBe(1);
    const mondayDay = out.find((b) => b.timeframe === '1D' && b.start === monday.open);
    expect(mondayDay, "Monday's 1D bar starts fresh").toMatchObject({ open: 20, volume: 1, closed: false });
  });

  it.each(['emit', 'on-demand'] as const)(
    'gives no bar to a bucket that stays empty after the minute that ended the one before (%s)',
    (forming) => {
      const s = nyse('2024-03-11');
      const agg = new BarAggregator(nyseCalendar, { forming });
      for (let i = 0; i < 5; i++)
        agg.onMinuteBar(minuteBar('SPY', at(s, '09:30') + i * MINUTE, 10, 10, 10, 10, 1));
      const out = agg.onMinuteBar(minuteBar('SPY', at(s, '09:52'), 12, 12, 12, 12, 2));
      const closed = out.filter((b) => b.closed && b.timeframe !== '1m');
      expect(closed.map((b) => `${b.timeframe} ${iso(b.start)} ${b.volume}`)).toEqual([
        `15m ${iso(at(s, '09:30'))} 5`,
      ]);
      const fives = agg.formingBars('SPY').filter((b) => b.timeframe === '5m');
      expect(fives).toMatchObject([{ start: at(s, '09:50'), volume: 2, closed: false }]);
      expect(only(agg.formingBars('SPY'), '1h')).toMatchObject({ volume: 7 });
    },
  );

  it('closes a bucket with missing minutes and skips a whole missing bucket', () => {
    const s = nyse('2024-03-11');
    const agg = new BarAggregator(nyseCalendar);
    agg.onMinuteBar(minuteBar('SPY', at(s, '09:31'), 10, 10, 10, 10, 1));
    agg.onMinuteBar(minuteBar('SPY', at(s, '09:33'), 11, 11, 11, 11, 1));
    const out = agg.onMinuteBar(minuteBar('SPY', at(s, '09:41'), 12, 12, 12, 12, 1));
    const fives = byTf(out, '5m');
    expect(fives.map((b) => [iso(b.start), b.closed])).toEqual([
      [iso(at(s, '09:30')), true],
      [iso(at(s, '09:40')), false],
    ]);
    expect(fives[0]).toMatchObject({ open: 10, close: 11, volume: 2 });
  });
});

describe('BarAggregator: out-of-session data', () => {
  it('passes pre-market 1m bars through but keeps them out of every higher timeframe', () => {
    const s = nyse('2024-03-11');
    const agg = new BarAggregator(nyseCalendar);
    const trade = agg.onTrade({ symbol: 'SPY', time: at(s, '08:00'), price: 9, size: 100 });
    expect(trade.map((b) => b.timeframe)).toEqual(['1m']);
    const bar = agg.onMinuteBar(minuteBar('SPY', at(s, '08:01'), 9, 9, 9, 9, 100));
    expect(
      bar.map((b) => `${b.timeframe}:${b.closed}`),
      'the 08:00 minute closes, then 08:01',
    ).toEqual(['1m:true', '1m:true']);
    const open = agg.onTrade({ symbol: 'SPY', time: s.open, price: 10, size: 1 });
    expect(only(open, '1D'), 'the day holds the session only').toMatchObject({ open: 10, volume: 1 });
  });
});

describe('BarAggregator: late data and corrections', () => {
  const s = nyse('2024-03-11');

  it('corrects a final minute and the still-forming bars it belongs to, lowering a high if need be', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onMinuteBar(minuteBar('SPY', at(s, '09:30'), 10, 10, 10, 10, 1));
    agg.onMinuteBar(minuteBar('SPY', at(s, '09:31'), 10, 99, 10, 10, 1)); // a bad print
    agg.onTrade({ symbol: 'SPY', time: at(s, '09:32') + 10, price: 11, size: 1 });
    const out = agg.onMinuteBar(minuteBar('SPY', at(s, '09:31'), 10, 10.5, 10, 10.2, 3));
    expect(only(out, '1m'), 'the minute is re-emitted closed with the corrected values').toEqual(
      minuteBar('SPY', at(s, '09:31'), 10, 10.5, 10, 10.2, 3),
    );
    for (const tf of HIGHER) {
      expect(only(out, tf), `${tf} is rebuilt, not merged`).toMatchObject({
        open: 10,
        high: 11,
        close: 11,
        volume: 5,
        closed: false,
      });
    }
  });

  it('re-emits the most recently closed bar corrected, but leaves older closed bars alone', () => {
    const agg = new BarAggregator(nyseCalendar);
    for (let i = 0; i < 12; i++)
      agg.onMinuteBar(minuteBar('SPY', at(s, '09:30') + i * MINUTE, 10, 10, 10, 10, 1));
    // 5m bars 09:30 and 09:35 are closed; 09:40 is forming.
    const recent = agg.onMinuteBar(minuteBar('SPY', at(s, '09:37'), 10, 15, 10, 10, 1));
    expect(only(recent, '5m')).toMatchObject({ start: at(s, '09:35'), high: 15, closed: true });
    expect(only(recent, '15m')).toMatchObject({ start: at(s, '09:30'), high: 15, closed: false });

    const older = agg.onMinuteBar(minuteBar('SPY', at(s, '09:32'), 10, 16, 10, 10, 1));
    expect(byTf(older, '5m'), 'the 09:30 5m bar is two bars back: left as it was').toEqual([]);
    expect(only(older, '1m').high).toBe(16);
    expect(only(older, '15m'), 'the forming 15m bar still takes the correction').toMatchObject({
      high: 16,
      volume: 12,
    });
  });

  it('aggregates a minute bar that arrives after the clock closed its bucket, re-emitting that bar', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onTrade({ symbol: 'SPY', time: at(s, '09:33'), price: 10, size: 1 });
    const closedByClock = agg.onTime(at(s, '09:35') + 500);
    expect(only(closedByClock, '5m')).toMatchObject({ high: 10, volume: 1, closed: true });
    // The authoritative 09:33 bar corrects the trade-built minute; the 09:34 bar arrives only now.
    const corrected = agg.onMinuteBar(minuteBar('SPY', at(s, '09:33'), 10, 12, 10, 11, 4));
    expect(only(corrected, '5m')).toMatchObject({ high: 12, close: 11, volume: 4, closed: true });
    const late = agg.onMinuteBar(minuteBar('SPY', at(s, '09:34'), 11, 13, 11, 13, 2));
    expect(only(late, '5m')).toMatchObject({
      start: at(s, '09:30'),
      high: 13,
      close: 13,
      volume: 6,
      closed: true,
    });
    expect(only(late, '15m')).toMatchObject({ volume: 6, closed: false });
  });

  it('closes at once the bar of a minute bar that arrives after the clock passed its whole bucket', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onMinuteBar(minuteBar('THIN', at(s, '09:30'), 10, 10, 10, 10, 1));
    agg.onTime(at(s, '09:45') + 2000);
    const out = agg.onMinuteBar(minuteBar('THIN', at(s, '09:42'), 11, 11, 11, 11, 1));
    expect(only(out, '5m'), 'its bucket 09:40-09:45 is over on the clock').toMatchObject({
      start: at(s, '09:40'),
      closed: true,
    });
    expect(only(out, '15m'), 'the 09:30 15m bar, closed by the clock, takes the late minute').toMatchObject({
      start: at(s, '09:30'),
      close: 11,
      volume: 2,
      closed: true,
    });
    expect(only(out, '1h').closed).toBe(false);
  });

  it('drops a trade for a minute that is already final', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onMinuteBar(minuteBar('SPY', at(s, '09:30'), 10, 10, 10, 10, 1));
    expect(agg.onTrade({ symbol: 'SPY', time: at(s, '09:30') + 59_000, price: 50, size: 9 })).toEqual([]);
    agg.onTime(at(s, '09:33'));
    expect(
      agg.onTrade({ symbol: 'SPY', time: at(s, '09:32'), price: 50, size: 9 }),
      'behind the clock',
    ).toEqual([]);
    expect(
      only(agg.onTrade({ symbol: 'SPY', time: at(s, '09:33'), price: 11, size: 1 }), '1D'),
    ).toMatchObject({
      high: 11,
      volume: 2,
    });
  });
});

describe('BarAggregator: restore', () => {
  const s = nyse('2024-03-11');

  function fullDay(seed: number): Bar[] {
    return randomMinutes(seeded(seed), 'SPY', sessionMinutes(s), 0.1);
  }

  it('resumes after a restart between minutes: the 1D bar keeps the morning', () => {
    const minutes = fullDay(21);
    const split = minutes.findIndex((m) => m.start >= at(s, '11:00'));
    const before = new BarAggregator(nyseCalendar);
    const rec = new Recorder();
    for (const m of minutes.slice(0, split)) rec.take(before.onMinuteBar(m));
    const stored = [...before.formingBars('SPY'), ...rec.emitted.filter((b) => b.closed)];

    const after = new BarAggregator(nyseCalendar);
    after.restore(stored);
    for (const m of minutes.slice(split)) rec.take(after.onMinuteBar(m));
    rec.take(after.onTime(s.close));
    expectSameBars(rec.closedBars(), reaggregate(nyseCalendar, minutes));
  });

  it('resumes in the middle of a minute without counting that minute twice', () => {
    const minutes = fullDay(22);
    const split = minutes.findIndex((m) => m.start >= at(s, '11:07'));
    const resumed = minutes[split]!;
    const before = new BarAggregator(nyseCalendar);
    const rec = new Recorder();
    for (const m of minutes.slice(0, split)) rec.take(before.onMinuteBar(m));
    // A trade inside the minute, then the crash: the store holds forming bars that include it.
    rec.take(before.onTrade({ symbol: 'SPY', time: resumed.start + 1, price: resumed.open, size: 7 }));
    const stored = rec.emitted.filter((b) => b.closed).concat(before.formingBars('SPY'));
    expect(stored.some((b) => b.timeframe === '1m' && !b.closed)).toBe(true);

    const after = new BarAggregator(nyseCalendar);
    after.restore(stored);
    for (const m of minutes.slice(split)) rec.take(after.onMinuteBar(m));
    rec.take(after.onTime(s.close));
    expectSameBars(rec.closedBars(), reaggregate(nyseCalendar, minutes));
  });

  it('hands out closed the restored bars whose bucket ended while the app was down', () => {
    const agg = new BarAggregator(nyseCalendar);
    const bar = (timeframe: Timeframe, start: number, volume: number): Bar => ({
      ...minuteBar('SPY', start, 10, 10, 10, 10, volume),
      timeframe,
      closed: false,
    });
    agg.restore([
      bar('1m', at(s, '10:03'), 1),
      bar('5m', at(s, '10:00'), 4),
      bar('15m', at(s, '10:00'), 4),
      bar('1h', at(s, '09:30'), 40),
      bar('4h', at(s, '09:30'), 40),
      bar('1D', s.open, 40),
    ]);
    const out = agg.onTrade({ symbol: 'SPY', time: at(s, '10:20'), price: 11, size: 2 });
    const closed = out.filter((b) => b.closed);
    expect(closed.map((b) => `${b.timeframe} ${iso(b.start)} ${b.volume}`)).toEqual([
      `1m ${iso(at(s, '10:03'))} 1`,
      `5m ${iso(at(s, '10:00'))} 4`,
      `15m ${iso(at(s, '10:00'))} 4`,
    ]);
    expect(
      only(
        out.filter((b) => !b.closed),
        '1D',
      ),
      'the day resumes from the stored 40',
    ).toMatchObject({
      volume: 42,
      high: 11,
    });
  });

  it.each(['09:31', '09:47', '12:14', '13:31', '15:59'])(
    'resumes exactly from a snapshot taken before the %s minute, forming bars read on demand',
    (hhmm) => {
      const minutes = fullDay(23);
      const split = minutes.findIndex((m) => m.start >= at(s, hhmm));
      const before = new BarAggregator(nyseCalendar, { forming: 'on-demand' });
      const rec = new Recorder();
      for (const m of minutes.slice(0, split)) rec.take(before.onMinuteBar(m));
      const stored = [...rec.emitted.filter((b) => b.closed), ...before.formingBars('SPY')];

      const after = new BarAggregator(nyseCalendar, { forming: 'on-demand' });
      after.restore(stored);
      for (const m of minutes.slice(split)) rec.take(after.onMinuteBar(m));
      rec.take(after.onTime(s.close));
      expectSameBars(rec.closedBars(), reaggregate(nyseCalendar, minutes));
    },
  );

  it('ignores stored bars that do not sit on a bucket boundary of the calendar', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.restore([
      { ...minuteBar('SPY', at(s, '10:01'), 10, 10, 10, 10, 50), timeframe: '5m', closed: false },
    ]);
    const out = agg.onTrade({ symbol: 'SPY', time: at(s, '10:02'), price: 11, size: 1 });
    expect(only(out, '5m')).toMatchObject({ start: at(s, '10:00'), volume: 1 });
  });
});

describe('BarAggregator: forming bars on demand', () => {
  const sessions = sessionsBetween(nyseCalendar, '2024-11-26', '2024-11-29');

  /** The truth for a symbol's forming bars: every bucket holding `minute`, re-aggregated from `minutes`. */
  function formingTruth(minutes: readonly Bar[], minute: Bar): Bar[] {
    const session = nyseCalendar.sessionAt(minute.start)!;
    const all = reaggregate(nyseCalendar, minutes);
    return HIGHER.map((timeframe) => {
      const { start } = bucketInSession(session, timeframe, minute.start);
      return { ...all.get(key({ symbol: minute.symbol, timeframe, start }))!, closed: false };
    });
  }

  it.each([1, 2, 3])(
    'returns closed bars only and keeps forming bars exact through late minutes and corrections (seed %i)',
    (seed) => {
      const rand = seeded(100 + seed);
      const eager = new BarAggregator(nyseCalendar);
      const lazy = new BarAggregator(nyseCalendar, { forming: 'on-demand' });
      const rec = new Recorder();
      const truth: Bar[] = [];
      for (const session of sessions) {
        const today: Bar[] = [];
        for (const m of randomMinutes(rand, 'AAA', sessionMinutes(session), 0.2)) {
          const calls: ((agg: BarAggregator) => Bar[])[] = [];
          if (rand() < 0.15) {
            const t = m.start + MINUTE + 1000;
            calls.push((agg) => agg.onTime(t));
          }
          calls.push((agg) => agg.onMinuteBar(m));
          today.push(m);
          if (today.length > 3 && rand() < 0.2) {
            // A correction of an earlier minute of today's session (its 1D bar is still forming).
            const i = Math.floor(rand() * (today.length - 1));
            const old = today[i]!;
            const fixed = minuteBar(
              'AAA',
              old.start,
              old.open,
              old.high + 1,
              old.low,
              old.close,
              old.volume + 7,
            );
            today[i] = fixed;
            calls.push((agg) => agg.onMinuteBar(fixed));
          }
          for (const call of calls) {
            const all = call(eager);
            const closedOnly = rec.take(call(lazy));
            expect(closedOnly, 'the closed bars, as the emitting aggregator returns them').toEqual(
              all.filter((b) => b.closed),
            );
            expect(lazy.takeChangedSymbols()).toEqual(all.length > 0 ? ['AAA'] : []);
            expect(lazy.formingBars('AAA')).toEqual(eager.formingBars('AAA'));
          }
          const forming = lazy.formingBars('AAA').filter((b) => b.timeframe !== '1m');
          const expected = formingTruth(today, m).filter((b) =>
            forming.some((f) => f.timeframe === b.timeframe),
          );
          expect(forming).toEqual(expected);
        }
        truth.push(...today);
        eager.onTime(session.close);
        rec.take(lazy.onTime(session.close));
        expect(lazy.formingBars('AAA'), 'nothing forms after the close').toEqual([]);
      }
      // Closed bars agree with the corrected minutes wherever a correction could still reach them: a
      // session's 4h buckets are the forming or the most recently closed one, its 1D bucket is forming.
      const closed = rec.closedBars();
      const expected = reaggregate(nyseCalendar, truth);
      for (const timeframe of ['4h', '1D'] as const) {
        for (const [k, bar] of expected)
          if (bar.timeframe === timeframe) expect(closed.get(k), k).toEqual(bar);
      }
    },
  );

  it('takeChangedSymbols names each symbol once per round, in the order they changed', () => {
    const s = nyse('2024-03-11');
    const agg = new BarAggregator(nyseCalendar, { forming: 'on-demand' });
    agg.onTrade({ symbol: 'QQQ', time: at(s, '09:30'), price: 10, size: 1 });
    agg.onMinuteBar(minuteBar('SPY', at(s, '09:30'), 10, 10, 10, 10, 1));
    agg.onTrade({ symbol: 'QQQ', time: at(s, '09:30') + 5, price: 11, size: 1 });
    expect(agg.takeChangedSymbols()).toEqual(['QQQ', 'SPY']);
    expect(agg.takeChangedSymbols()).toEqual([]);
    expect(agg.onTime(at(s, '09:31')).map((b) => b.symbol)).toEqual(['QQQ']);
    expect(agg.takeChangedSymbols(), 'the clock closed QQQ’s minute').toEqual(['QQQ']);
  });

  it('starts over after reset(): no state, no clock', () => {
    const s = nyse('2024-03-11');
    const agg = new BarAggregator(nyseCalendar, { forming: 'on-demand' });
    agg.onMinuteBar(minuteBar('SPY', at(s, '09:30'), 10, 10, 10, 10, 1));
    agg.onTime(at(s, '10:00'));
    agg.reset();
    expect(agg.formingBars('SPY')).toEqual([]);
    // Before the reset this minute was behind the clock; now it opens a new day bar.
    agg.onMinuteBar(minuteBar('SPY', at(s, '09:31'), 12, 12, 12, 12, 2));
    expect(only(agg.formingBars('SPY'), '1D')).toMatchObject({ start: s.open, open: 12, volume: 2 });
  });
});

describe('BarAggregator: VWAP and trade count', () => {
  const s = nyse('2024-03-11');
  const withExtras = (
    start: number,
    price: number,
    volume: number,
    vwap?: number,
    tradeCount?: number,
  ): Bar => ({
    ...minuteBar('SPY', start, price, price + 1, price - 1, price, volume),
    ...(vwap === undefined ? {} : { vwap }),
    ...(tradeCount === undefined ? {} : { tradeCount }),
  });

  it('gives higher bars the volume-weighted VWAP and the summed trade count of their minutes', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onMinuteBar(withExtras(at(s, '09:30'), 10, 100, 10.2, 40));
    const out = agg.onMinuteBar(withExtras(at(s, '09:31'), 11, 300, 11.1, 60));
    expect(only(out, '1m')).toMatchObject({ vwap: 11.1, tradeCount: 60 });
    for (const tf of HIGHER) {
      const bar = only(out, tf);
      expect(bar.tradeCount, tf).toBe(100);
      expect(bar.vwap, tf).toBeCloseTo((10.2 * 100 + 11.1 * 300) / 400, 10);
    }
  });

  it('leaves them off a bar as soon as one of its minutes lacks them', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onMinuteBar(withExtras(at(s, '09:30'), 10, 100, 10.2, 40));
    const out = agg.onMinuteBar(withExtras(at(s, '09:31'), 11, 300));
    expect(only(out, '1m')).not.toHaveProperty('vwap');
    expect(only(out, '5m')).not.toHaveProperty('vwap');
    expect(only(out, '5m')).not.toHaveProperty('tradeCount');
    // The next 5m bucket starts clean: its minutes all have them again.
    for (let i = 2; i < 5; i++) agg.onMinuteBar(withExtras(at(s, '09:30') + i * MINUTE, 11, 10, 11, 1));
    const next = agg.onMinuteBar(withExtras(at(s, '09:35'), 12, 10, 12, 2));
    expect(only(next, '5m')).toMatchObject({ start: at(s, '09:35'), vwap: 12, tradeCount: 2 });
    expect(only(next, '15m')).not.toHaveProperty('vwap');
  });

  it('keeps them through a correction and a restore', () => {
    const agg = new BarAggregator(nyseCalendar);
    agg.onMinuteBar(withExtras(at(s, '09:30'), 10, 100, 10, 10));
    agg.onMinuteBar(withExtras(at(s, '09:31'), 10, 100, 10, 10));
    const fixed = agg.onMinuteBar(withExtras(at(s, '09:30'), 10, 100, 12, 30));
    expect(only(fixed, '5m')).toMatchObject({ vwap: 11, tradeCount: 40 });

    const after = new BarAggregator(nyseCalendar);
    after.restore([...agg.formingBars('SPY'), withExtras(at(s, '09:31'), 10, 100, 10, 10)]);
    const out = after.onMinuteBar(withExtras(at(s, '09:32'), 10, 200, 14, 60));
    expect(only(out, '5m')).toMatchObject({ volume: 400, tradeCount: 100 });
    expect(only(out, '5m').vwap).toBeCloseTo((12 * 100 + 10 * 100 + 14 * 200) / 400, 10);
  });
});

describe('BarAggregator: a calendar per symbol', () => {
  it('aggregates a 24/7 symbol on UTC days beside NYSE symbols on their sessions', () => {
    const rand = seeded(9);
    const monday = nyse('2024-03-11');
    const from = Date.parse('2024-03-09T00:00:00Z'); // a Saturday: only the crypto symbol trades
    const crypto = randomMinutes(
      rand,
      'BTC/USD',
      Array.from({ length: 3 * 1440 }, (_, i) => from + i * MINUTE),
      0.3,
      60_000,
    );
    const stock = randomMinutes(rand, 'SPY', sessionMinutes(monday), 0.3);
    const minutes = [...crypto, ...stock].sort((a, b) => a.start - b.start || (a.symbol < b.symbol ? -1 : 1));
    const agg = new BarAggregator(nyseCalendar, {
      calendarOf: (symbol) => (symbol.includes('/') ? alwaysOpenCalendar : nyseCalendar),
    });
    const rec = new Recorder();
    for (const m of minutes) rec.take(agg.onMinuteBar(m));
    rec.take(agg.onTime(from + 4 * 1440 * MINUTE));
    const expected = new Map([
      ...reaggregate(alwaysOpenCalendar, crypto),
      ...reaggregate(nyseCalendar, stock),
    ]);
    expectSameBars(rec.closedBars(), expected);
    expect(
      [...expected.values()].filter((b) => b.timeframe === '1D').map((b) => `${b.symbol} ${iso(b.start)}`),
    ).toEqual([
      'BTC/USD 2024-03-09T00:00:00.000Z',
      'BTC/USD 2024-03-10T00:00:00.000Z',
      'BTC/USD 2024-03-11T00:00:00.000Z',
      `SPY ${iso(monday.open)}`,
    ]);
  });
});

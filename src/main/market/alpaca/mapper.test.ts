import { describe, expect, it } from 'vitest';
import { nyseCalendar } from '../../core/calendar';
import { compareCalendars } from './calendar-check';
import {
  dailyBarFromRest,
  dailyBarFromStream,
  minuteBarFromRest,
  minuteBarFromStream,
  quoteFromStream,
  tradeFromStream,
} from './mapper';

const FRIDAY = nyseCalendar.sessionOn('2025-03-14')!;

describe("Alpaca's bars, trades and quotes as ours", () => {
  it('map a REST minute bar with vw and n, labelled by its start', () => {
    const bar = minuteBarFromRest('SPY', {
      t: '2025-03-14T14:05:00Z',
      o: 560.1,
      h: 560.9,
      l: 559.8,
      c: 560.5,
      v: 120_345,
      n: 1_024,
      vw: 560.37,
      extra: 'ignored',
    });
    expect(bar).toEqual({
      symbol: 'SPY',
      timeframe: '1m',
      start: Date.parse('2025-03-14T14:05:00Z'),
      open: 560.1,
      high: 560.9,
      low: 559.8,
      close: 560.5,
      volume: 120_345,
      vwap: 560.37,
      tradeCount: 1_024,
      closed: true,
    });
  });

  it("map the SDK's streamed bar, flooring a nanosecond timestamp to its minute", () => {
    const bar = minuteBarFromStream({
      symbol: 'QQQ',
      open: 480,
      high: 481,
      low: 479.5,
      close: 480.25,
      volume: 5_000,
      timestamp: new Date(Date.parse('2025-03-14T14:06:00Z') + 0.4),
      vwap: 480.1,
      tradeCount: 42,
    });
    expect(bar).toMatchObject({
      symbol: 'QQQ',
      start: Date.parse('2025-03-14T14:06:00Z'),
      vwap: 480.1,
      tradeCount: 42,
    });
  });

  it('refuse malformed or impossible bars instead of storing them', () => {
    expect(minuteBarFromRest('SPY', { t: 'yesterday', o: 1, h: 1, l: 1, c: 1, v: 1 })).toBeNull();
    expect(minuteBarFromRest('SPY', { t: '2025-03-14T14:05:00Z', o: 2, h: 1, l: 1, c: 1, v: 1 })).toBeNull();
    expect(minuteBarFromStream({ symbol: 'SPY', open: 1 })).toBeNull();
    expect(
      minuteBarFromRest('not a symbol', { t: '2025-03-14T14:05:00Z', o: 1, h: 1, l: 1, c: 1, v: 1 }),
    ).toBeNull();
  });

  it('start a daily bar at its session open and call it final only after the close', () => {
    const raw = {
      t: '2025-03-14T04:00:00Z',
      o: 560,
      h: 565,
      l: 555,
      c: 562,
      v: 50_000_000,
      n: 600_000,
      vw: 561,
    };
    expect(dailyBarFromRest('SPY', raw, nyseCalendar, FRIDAY.close - 1)).toMatchObject({
      timeframe: '1D',
      start: FRIDAY.open,
      closed: false,
    });
    expect(dailyBarFromRest('SPY', raw, nyseCalendar, FRIDAY.close)?.closed).toBe(true);
    const streamed = dailyBarFromStream(
      { symbol: 'SPY', open: 560, high: 565, low: 555, close: 562, volume: 1, timestamp: new Date(raw.t) },
      nyseCalendar,
      FRIDAY.open,
    );
    expect(streamed?.start).toBe(FRIDAY.open);
    // Saturday: our calendar has no session, so the bar has nowhere to go.
    expect(
      dailyBarFromRest('SPY', { ...raw, t: '2025-03-15T04:00:00Z' }, nyseCalendar, FRIDAY.close),
    ).toBeNull();
  });

  it('map trades and quotes', () => {
    const time = new Date('2025-03-14T14:05:01.123Z');
    expect(tradeFromStream({ symbol: 'SPY', price: 560.2, size: 100, timestamp: time, id: 7 })).toEqual({
      symbol: 'SPY',
      time: time.getTime(),
      price: 560.2,
      size: 100,
    });
    expect(
      quoteFromStream({
        symbol: 'SPY',
        bidPrice: 560.1,
        bidSize: 3,
        askPrice: 560.2,
        askSize: 2,
        timestamp: time,
      }),
    ).toEqual({
      symbol: 'SPY',
      time: time.getTime(),
      bidPrice: 560.1,
      bidSize: 3,
      askPrice: 560.2,
      askSize: 2,
    });
    expect(tradeFromStream({ symbol: 'SPY', price: -1, size: 1, timestamp: time })).toBeNull();
  });
});

describe('comparing calendars', () => {
  it("names each date where Alpaca's open days differ from ours", () => {
    const theirs = [
      { date: '2025-11-26', open: '09:30', close: '16:00' },
      { date: '2025-11-27', open: '09:30', close: '16:00' }, // Thanksgiving: we say closed
      { date: '2025-11-28', open: '09:30', close: '16:00' }, // day after: we say 13:00
    ];
    expect(compareCalendars(theirs, nyseCalendar, '2025-11-26', '2025-12-01')).toEqual([
      { date: '2025-11-27', theirs: '09:30-16:00', ours: 'closed' },
      { date: '2025-11-28', theirs: '09:30-16:00', ours: '09:30-13:00' },
      { date: '2025-12-01', theirs: 'closed', ours: '09:30-16:00' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { detectDialect, type Dialect } from './dialects';

const dialect = (header: string): Dialect => {
  const found = detectDialect(header.split(','));
  if (typeof found === 'string') throw new Error(found);
  return found;
};

describe('detectDialect', () => {
  it('names the dialects from the header and finds every column', () => {
    expect(dialect('Date,Open,High,Low,Close,Adj Close,Volume')).toMatchObject({
      name: 'Yahoo',
      time: 0,
      close: 4,
      adjClose: 5,
      volume: 6,
    });
    expect(dialect('<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>')).toMatchObject(
      {
        name: 'Stooq',
        period: 1,
        time: 2,
        timeOfDay: 3,
        open: 4,
        volume: 8,
      },
    );
    expect(dialect('DATE,OPEN,HIGH,LOW,CLOSE')).toMatchObject({ name: 'CBOE', volume: -1 });
    expect(dialect('datetime,open,high,low,close,volume,vwap,transactions')).toMatchObject({
      name: 'OHLCV',
      vwap: 6,
      transactions: 7,
    });
    expect(dialect('close,volume,timestamp,open,low,high')).toMatchObject({
      time: 2,
      open: 3,
      high: 5,
      low: 4,
      close: 0,
    });
  });

  it('says which columns are missing, and what it found', () => {
    expect(detectDialect(['date', 'price', 'volume'])).toMatch(
      /^the header has no open, high, low, close column \(found: date,price,volume\)/,
    );
    expect(detectDialect(['2024-01-02', '470.1', '471', '469', '470.5', '1000'])).toMatch(/no time, open/);
  });
});

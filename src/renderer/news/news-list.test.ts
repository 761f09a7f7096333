/** news-list.ts: the panel's rows stay newest first, unique, bounded; the filter selects what it says. */
import { describe, expect, it } from 'vitest';
import type { ScoredNews } from '../../shared/domain';
import { ScoredNewsSchema } from '../../shared/domain';
import { filterSymbol, mergeNews, parseTypedSymbol, showsUnder } from './news-list';

const T0 = Date.UTC(2024, 1, 20, 15, 0);

function item(
  id: string,
  minutes: number,
  symbols: string[] = ['AAPL'],
  score: number | null = null,
): ScoredNews {
  return ScoredNewsSchema.parse({
    id,
    origin: 'recorded',
    kind: 'headline',
    source: 'company_news_2023_2024.csv',
    time: T0 + minutes * 60_000,
    headline: `Headline ${id}`,
    summary: '',
    symbols,
    url: null,
    sentiment:
      score === null
        ? null
        : { label: score > 0 ? 'positive' : 'negative', probabilities: [0.2, 0.3, 0.5], score },
    sentimentModel: score === null ? null : 'sent-test',
    catalysts: [],
  });
}

describe('merging news into the panel', () => {
  it('keeps the newest first, whatever order items arrive in', () => {
    const merged = mergeNews([item('b', 5), item('a', 1)], [item('c', 3), item('d', 9)]);
    expect(merged.map((n) => n.id)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('holds each item once; a newer copy (scored later) replaces the one held', () => {
    const merged = mergeNews([item('a', 1)], [item('a', 1, ['AAPL'], 0.6), item('b', 2)]);
    expect(merged.map((n) => n.id)).toEqual(['b', 'a']);
    expect(merged[1]?.sentiment?.score).toBe(0.6);
  });

  it('orders items published in the same minute by id, so a reload does not reshuffle them', () => {
    const one = mergeNews([], [item('y', 1), item('x', 1)]);
    const other = mergeNews([], [item('x', 1), item('y', 1)]);
    expect(one.map((n) => n.id)).toEqual(['x', 'y']);
    expect(other.map((n) => n.id)).toEqual(['x', 'y']);
  });

  it('never holds more than the cap: a burst of 1,000 keeps the newest', () => {
    const burst = Array.from({ length: 1000 }, (_, i) => item(`n${i}`, i));
    const merged = mergeNews([item('old', -10)], burst, 500);
    expect(merged).toHaveLength(500);
    expect(merged[0]?.id).toBe('n999');
    expect(merged[499]?.id).toBe('n500');
  });
});

describe('the news filter', () => {
  it('selects all news, the symbol on screen, or a typed symbol', () => {
    expect(filterSymbol({ kind: 'all' }, 'SPY')).toBeNull();
    expect(filterSymbol({ kind: 'screen' }, 'SPY')).toBe('SPY');
    expect(filterSymbol({ kind: 'screen' }, null)).toBeNull();
    expect(filterSymbol({ kind: 'symbol', symbol: 'MSFT' }, 'SPY')).toBe('MSFT');
  });

  it('shows under a symbol only items naming it; market-wide items under All only', () => {
    expect(showsUnder(item('a', 0, ['AAPL', 'MSFT']), 'MSFT')).toBe(true);
    expect(showsUnder(item('a', 0, ['AAPL']), 'MSFT')).toBe(false);
    expect(showsUnder(item('a', 0, []), 'MSFT')).toBe(false);
    expect(showsUnder(item('a', 0, []), null)).toBe(true);
  });

  it('reads a typed symbol in upper case, and says what is wrong with a bad one', () => {
    expect(parseTypedSymbol(' aapl ')).toEqual({ symbol: 'AAPL' });
    expect(parseTypedSymbol('brk.b')).toEqual({ symbol: 'BRK.B' });
    expect(parseTypedSymbol('')).toEqual({ problem: 'Type a symbol, e.g. AAPL.' });
    expect(parseTypedSymbol('AA PL')).toHaveProperty(
      'problem',
      expect.stringContaining('upper-case letters'),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { buildDailyPanel, slicePanel } from '../signals/daily-panel';
import { computeFeatures, featureStream } from '../signals/feature-registry';
import {
  dailyNewsColumns,
  newsCatalystShare,
  newsMissingReason,
  newsSentiment,
  newsVolume,
  type DailyNewsColumns,
  type DailyNewsItem,
} from './daily-news';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Session i opens at day i 14:30 UTC and closes at 21:00 UTC. */
const open = (i: number) => i * DAY + 14.5 * HOUR;
const close = (i: number) => i * DAY + 21 * HOUR;
const closes = Float64Array.from({ length: 6 }, (_, i) => close(i));
const item = (time: number, score: number | null, catalysts = 0): DailyNewsItem => ({
  time,
  symbols: ['AAPL'],
  score,
  catalysts,
});

describe('dailyNewsColumns', () => {
  it('gives row i the items after close i−1 up to close i: evening news counts for the next session', () => {
    const items = [
      item(close(0) - HOUR, 0.9), // before row 1's window: row 0, which has no known start
      item(close(0), 0.9), // at close 0: still row 0
      item(close(0) + 1, 0.5, 2), // just after close 0: row 1
      item(open(1), -0.1),
      item(close(1), null, 1), // unscored, at close 1: row 1
      item(close(1) + 3 * HOUR, 0.3), // the evening after session 1: row 2
      item(close(4) + HOUR, -0.5), // after session 4: row 5
    ];
    const news = dailyNewsColumns(items, closes, { from: 0, to: close(5) });
    expect([...news.count]).toEqual([NaN, 3, 1, 0, 0, 1]);
    expect([...news.scored]).toEqual([NaN, 2, 1, 0, 0, 1]);
    expect(news.sentimentSum[1]).toBeCloseTo(0.4, 12);
    expect([...news.catalystCount]).toEqual([NaN, 2, 0, 0, 0, 0]);
  });

  it('leaves rows outside the source coverage NaN (no source is not "no news")', () => {
    const items = [item(open(2), 0.2), item(open(3), 0.4)];
    const news = dailyNewsColumns(items, closes);
    // Default coverage is [first item, last item] = [open 2, open 3]: no session's whole window is inside.
    expect([...news.count]).toEqual([NaN, NaN, NaN, NaN, NaN, NaN]);
    const covered = dailyNewsColumns(items, closes, { from: close(1) + 1, to: close(3) });
    expect([...covered.count]).toEqual([NaN, NaN, 1, 1, NaN, NaN]);
    expect([...dailyNewsColumns([], closes).count].every(Number.isNaN)).toBe(true);
  });

  it('refuses closes that do not ascend', () => {
    expect(() => dailyNewsColumns([], [close(1), close(0)])).toThrow(RangeError);
  });
});

/** News columns from per-row counts, scored counts, sentiment sums and catalyst counts. */
function columns(count: number[], sums: number[], catalysts?: number[], scored?: number[]): DailyNewsColumns {
  return {
    count: Float64Array.from(count),
    scored: Float64Array.from(scored ?? count),
    sentimentSum: Float64Array.from(sums),
    catalystCount: Float64Array.from(catalysts ?? count.map(() => 0)),
  };
}

describe('news streams', () => {
  it('news_sentiment: decay-weighted (half-life 2 sessions) mean of the daily means over 5 sessions', () => {
    // Rows 2..6 (i = 6): daily means 0.5 (k=4), none (k=3), −0.2 (k=2), 0.1 (k=1), 0.4 (k=0).
    const news = columns([1, 1, 2, 0, 1, 2, 1], [0, 0, 1, 0, -0.2, 0.2, 0.4]);
    const w = (k: number) => 2 ** (-k / 2);
    const expected = (w(4) * 0.5 + w(2) * -0.2 + w(1) * 0.1 + w(0) * 0.4) / (w(4) + w(2) + w(1) + w(0));
    expect(newsSentiment(news, 6)).toBeCloseTo(expected, 12);
    expect(newsSentiment(news, 3)).toBeNull(); // rows −1..3: before the panel
    expect(
      newsSentiment(columns([1, 1, 1, 1, 1], [0, 0, 0, 0, 0], undefined, [0, 0, 0, 0, 0]), 4),
    ).toBeNull();
  });

  it('news_volume: ln((count_i + 1) / (20-session mean + 1))', () => {
    const count = [...new Array<number>(19).fill(2), 9];
    const news = columns(
      count,
      count.map(() => 0),
    );
    expect(newsVolume(news, 19)).toBeCloseTo(Math.log(10 / ((19 * 2 + 9) / 20 + 1)), 12);
    expect(newsVolume(news, 18)).toBeNull();
    expect(newsVolume(columns(new Array<number>(20).fill(0), new Array<number>(20).fill(0)), 19)).toBeNull();
  });

  it('news_catalysts: tagged items / items over the last 5 sessions', () => {
    const news = columns([4, 1, 2, 3, 0, 4], [0, 0, 0, 0, 0, 0], [4, 1, 1, 0, 0, 2]);
    expect(newsCatalystShare(news, 5)).toBeCloseTo(4 / 10, 12);
    expect(newsCatalystShare(columns([0, 0, 0, 0, 0], [0, 0, 0, 0, 0]), 4)).toBeNull();
  });

  it('says why a value is missing', () => {
    expect(newsMissingReason(undefined, 5, 4)).toBe('no news source feeds the daily panel');
    const news = columns([NaN, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0]);
    expect(newsMissingReason(news, 4, 4)).toBe(
      'the news source does not cover the 5 sessions this stream reads',
    );
    expect(newsMissingReason(news, 5, 4)).toBe('no news item in the 5 sessions this stream reads');
  });
});

describe('a daily panel with news', () => {
  const bars = Array.from({ length: 30 }, (_, i) => ({
    symbol: 'SPY',
    start: open(i),
    close: 100 + i,
    volume: 1e6,
  }));
  const panel = buildDailyPanel(bars);
  const sessionCloses = Float64Array.from(panel.times, (t) => t + 6.5 * HOUR);
  const items = Array.from({ length: 29 * 3 }, (_, k) =>
    item(open(1) + k * 8 * HOUR, k % 2 ? 0.5 : -0.1, k % 3),
  );
  const news = dailyNewsColumns(items, sessionCloses, { from: 0, to: close(29) });
  const withNews = { ...panel, news };

  it('feeds the news streams through the registry', () => {
    const values = computeFeatures(withNews, 25, ['news_sentiment', 'news_volume', 'news_catalysts']);
    expect(values.every((v) => v !== null && Number.isFinite(v))).toBe(true);
    expect(computeFeatures(panel, 25, ['news_sentiment'])).toEqual([null]);
    expect(featureStream('news_volume').missingReason!(panel, 25)).toBe(
      'no news source feeds the daily panel',
    );
  });

  it('is sliced with its news columns', () => {
    const slice = slicePanel(withNews, open(10), open(20));
    expect(slice.times.length).toBe(11);
    expect([...slice.news!.count]).toEqual([...news.count.subarray(10, 21)]);
    expect(slicePanel(panel, open(10), open(20)).news).toBeUndefined();
  });
});

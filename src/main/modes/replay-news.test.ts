/**
 * News in a real replay engine over a market database holding bars and recorded news (as `trm import`
 * and `trm news import` leave it): items reach the panel only once the replay clock has reached their
 * time, scored; a seek back deletes the scratch store's news from that time on and the source releases
 * it again as the clock passes it; the meta-score of the decision symbol answers with its regime and
 * sentiment; the source database is never written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newsRequests } from '../../shared/api/news';
import type { Bar, NewsItem, ScoredNews, Sentiment } from '../../shared/domain';
import { nyseCalendar, type Session } from '../core/calendar';
import type { Engine } from '../engine/kernel';
import type { NewsFactory } from '../engine/news-service';
import type { SentimentScorer } from '../engine/ports';
import { createMemoryLogger } from '../platform/log';
import { openStore } from '../store/store';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import { createReplayEngine } from './replay';
import { drainUntil } from '../test-support/drain-until';

const MINUTE = 60_000;

/** `count` NYSE sessions ending with 2025-03-13. */
function sessionsBack(count: number): Session[] {
  const out: Session[] = [];
  let session = nyseCalendar.sessionOn('2025-03-13')!;
  while (out.length < count) {
    out.unshift(session);
    session = nyseCalendar.previousSession(session);
  }
  return out;
}

const SESSIONS = sessionsBack(90);
/** The replayed sessions (minutes): the last two. Daily bars before them, minutes for the five before too. */
const [WED, THU] = SESSIONS.slice(-2) as [Session, Session];

function bar(timeframe: '1m' | '1D', start: number, close: number): Bar {
  return {
    symbol: 'SPY',
    timeframe,
    start,
    open: close,
    high: close + 0.5,
    low: close - 0.5,
    close,
    volume: 1000,
    closed: true,
  };
}

function item(n: number, time: number, headline: string, symbols: string[] = ['SPY']): NewsItem {
  return {
    id: `recorded:test:${n}`,
    origin: 'recorded',
    kind: 'headline',
    source: 'test.csv',
    time,
    headline,
    summary: '',
    symbols,
    url: null,
  };
}

const RECORDED = [
  item(1, SESSIONS.at(-20)!.open + 30 * MINUTE, 'History: SPY beats an old record'),
  item(2, WED.open + 10 * MINUTE, 'SPY beats expectations in early trade'),
  item(3, WED.open + 100 * MINUTE, 'Fed holds rates steady', []),
  item(4, WED.open + 200 * MINUTE, 'Apple misses on iPhone sales', ['AAPL']),
  item(5, THU.open + 30 * MINUTE, 'SPY misses a beat as tariffs loom'),
  item(6, THU.open + 300 * MINUTE, 'Market-wide: jobs report beats', []),
];

const scorer: SentimentScorer = {
  info: {
    name: 'fake',
    version: 'fake-3',
    provider: 'cpu',
    labels: ['negative', 'neutral', 'positive'],
    maxTokens: 64,
  },
  score: (texts) =>
    Promise.resolve(
      texts.map((text): Sentiment => {
        const score = /beat/i.test(text) ? 0.6 : /miss/i.test(text) ? -0.6 : 0;
        const p = score > 0 ? [0.1, 0.2, 0.7] : score < 0 ? [0.7, 0.2, 0.1] : [0.1, 0.8, 0.1];
        return {
          label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral',
          probabilities: p,
          score: p[2]! - p[0]!,
        };
      }),
    ),
  close: () => Promise.resolve(),
};

let dir: string;
let db: string;
let timers: ManualTimers;
let engine: Engine | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-replay-news-'));
  db = join(dir, 'market.sqlite');
  timers = manualTimers();
  const store = openStore(db);
  store.symbols.register({
    symbol: 'SPY',
    name: 'SPDR S&P 500',
    kind: 'index-etf',
    calendar: 'XNYS',
    source: 'import',
  });
  // Daily history before the minutes (the regime reads it), with a few percent moves.
  store.bars.upsert(SESSIONS.slice(0, -7).map((s, d) => bar('1D', s.open, 500 * (1 + 0.01 * Math.sin(d)))));
  for (const session of SESSIONS.slice(-7)) {
    const minutes: Bar[] = [];
    for (let t = session.open, i = 0; t < session.close; t += MINUTE, i++)
      minutes.push(bar('1m', t, 500 + Math.sin(i / 7)));
    store.bars.upsert(minutes);
  }
  store.news.insert(RECORDED);
  store.close();
});

afterEach(() => {
  engine?.stop();
  engine = null;
  rmSync(dir, { recursive: true, force: true });
});

const news: NewsFactory = ({ settings, feed }) => ({
  feed,
  settings,
  loadSentiment: () => Promise.resolve(scorer),
});

function settle(e: Engine): Promise<void> {
  return drainUntil(e.news.whenIdle(), timers);
}

describe('replay mode with recorded news', () => {
  it('shows each item only once the replay clock reaches it, and again after a seek back', async () => {
    engine = createReplayEngine({
      dbPath: db,
      speed: 600,
      timers,
      log: createMemoryLogger(),
      news,
      from: Date.parse('2025-03-12'),
      to: Date.parse('2025-03-13'),
    });
    const e = engine;
    const seen: { item: ScoredNews; clock: number }[] = [];
    e.start();
    e.service.events['news.items']({ symbols: ['SPY'] }, ({ items }) => {
      for (const it of items) seen.push({ item: it, clock: e.status().marketTime! });
    });
    await settle(e);
    // The warm-up played: the backfill (item 1) and nothing from the replayed sessions yet.
    const listed = (): string[] =>
      (e.service.handlers['news.list']({ limit: 100 }) as ScoredNews[]).map((i) => i.id).sort();
    expect(listed()).toEqual(['recorded:test:1']);
    await e.service.handlers['replay.control']({ action: 'play' });
    // Ten market minutes per wall second: Wednesday's first 150 minutes.
    for (let step = 0; step < 15; step++) {
      timers.advance(1000);
      await settle(e);
    }
    expect(e.status().marketTime).toBeGreaterThanOrEqual(WED.open + 150 * MINUTE);
    expect(e.status().marketTime).toBeLessThan(WED.open + 200 * MINUTE);
    expect(listed()).toEqual(['recorded:test:1', 'recorded:test:2', 'recorded:test:3']);
    for (const { item: it, clock } of seen) expect(it.time).toBeLessThanOrEqual(clock);
    expect(seen.map((s) => [s.item.id, s.item.sentiment?.label])).toEqual([
      ['recorded:test:1', 'positive'], // the history before the replay's first bar, at start
      ['recorded:test:2', 'positive'],
      ['recorded:test:3', 'neutral'], // market-wide: passes the SPY filter
    ]);

    // Seek back before item 3: it leaves the scratch store and comes again when the clock passes it.
    await e.service.handlers['replay.control']({ action: 'seek', time: WED.open + 60 * MINUTE });
    await settle(e);
    expect(listed()).toEqual(['recorded:test:1', 'recorded:test:2']);
    for (let step = 0; step < 6; step++) {
      timers.advance(1000);
      await settle(e);
    }
    expect(listed()).toEqual(['recorded:test:1', 'recorded:test:2', 'recorded:test:3']);
    expect(seen.map((s) => s.item.id)).toEqual([
      'recorded:test:1',
      'recorded:test:2',
      'recorded:test:3',
      // The seek rewinds to the session's open (a bucket boundary) and plays fast to the time asked for.
      'recorded:test:2',
      'recorded:test:3',
    ]);
    for (const { item: it, clock } of seen) expect(it.time).toBeLessThanOrEqual(clock);

    const meta = newsRequests['signals.meta'].result.parse(
      e.service.handlers['signals.meta']({ symbol: 'SPY' }),
    );
    expect(meta.regime).not.toBeNull();
    expect(meta.components.sentiment).toBeGreaterThan(0);
    const status = newsRequests['news.status'].result.parse(
      e.service.handlers['news.status'](undefined as never),
    );
    expect(status).toMatchObject({
      sources: [{ name: 'Recorded news', state: 'live' }],
      sentiment: { version: 'fake-3' },
      stored: 3,
    });

    e.stop();
    engine = null;
    // The source keeps its recorded news, unscored and untouched.
    const source = openStore(db);
    expect(source.news.count()).toBe(RECORDED.length);
    expect(source.news.list({ limit: 10 }).every((i) => i.sentiment === null)).toBe(true);
    source.close();
  });
});

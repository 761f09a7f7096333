/**
 * News latency through the engine's path: from an item's arrival at the news sink to the scored
 * `news.items` event a listener receives (insert with dedupe into a real SQLite store, coalescing,
 * sentiment model run, catalyst tags, setScores, publish), p50 and p99:
 * - live: items one at a time at LIVE_RATE items/s (a busy news wire),
 * - burst: BURST items in one call (a backfill after a start or a reconnect); also the time to the last.
 *
 * The sentiment model is models/sentiment-default when it exists (the shipped one, on CPU), else a tiny
 * BERT-shaped fixture folder (test-support/bert-folder.ts); `details.model` says which. Headlines come
 * from ../shared/data/news/company_news_2023_2024.csv when it is there, else generated ones.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { NewsItem } from '../src/shared/domain';
import { TopicBus } from '../src/main/engine/bus';
import { NewsService } from '../src/main/engine/news-service';
import type { NewsFeed, NewsSink } from '../src/main/engine/ports';
import type { EngineTopics } from '../src/main/engine/topics';
import { loadSentimentModel } from '../src/main/inference/sentiment/sentiment-model';
import { systemTimers } from '../src/main/platform/clock';
import { createLogger } from '../src/main/platform/log';
import { openStore } from '../src/main/store/store';
import { writeBertFolder } from '../src/main/test-support/bert-folder';
import { report, type Metric } from './lib/report';

const SHIPPED = join(import.meta.dirname, '..', 'models', 'sentiment-default');
const HEADLINES = join(
  import.meta.dirname,
  '..',
  '..',
  'shared',
  'data',
  'news',
  'company_news_2023_2024.csv',
);
const LIVE_RATE = 10;
const LIVE_ITEMS = 150;
const BURST = 1000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function headlines(count: number): { texts: string[]; from: string } {
  if (existsSync(HEADLINES)) {
    const rows = parse<{ headline: string }>(readFileSync(HEADLINES, 'utf8'), {
      columns: true,
      skip_empty_lines: true,
    });
    const texts = rows.map((row) => row.headline).filter((text) => text.trim().length > 0);
    return { texts: Array.from({ length: count }, (_, k) => texts[k % texts.length]!), from: HEADLINES };
  }
  const words = ['beats', 'misses', 'raises guidance', 'cuts outlook', 'unveils', 'faces lawsuit'];
  return {
    texts: Array.from(
      { length: count },
      (_, k) => `Company ${k % 97} ${words[k % words.length]} in Q${(k % 4) + 1}`,
    ),
    from: 'generated headlines',
  };
}

class PushFeed implements NewsFeed {
  readonly name = 'bench';
  sink: NewsSink | null = null;
  start(sink: NewsSink): void {
    this.sink = sink;
  }
  stop(): void {}
}

export default async function newsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trm-news-bench-'));
  const log = createLogger('bench', 'warn');
  let modelDir = SHIPPED;
  let which = 'models/sentiment-default (shipped)';
  if (!existsSync(join(SHIPPED, 'config.json'))) {
    modelDir = writeBertFolder(join(dir, 'fixture-model'));
    which = 'a tiny BERT-shaped fixture (models/sentiment-default is missing)';
  }
  const store = openStore(join(dir, 'news.sqlite'));
  const bus = new TopicBus<EngineTopics>(() => undefined);
  const feed = new PushFeed();
  const service = new NewsService({
    feed,
    loadSentiment: () => loadSentimentModel(modelDir, { log, device: 'cpu' }),
    news: store.news,
    bus,
    timers: systemTimers,
    log,
  });
  const arrived = new Map<string, number>();
  const latency: number[] = [];
  service.events['news.items']({}, ({ items }) => {
    const now = performance.now();
    for (const item of items) latency.push(now - arrived.get(item.id)!);
  });
  const coldStart = performance.now();
  service.start();
  await service.whenIdle();
  const loadMs = performance.now() - coldStart;
  const { texts, from } = headlines(LIVE_ITEMS + BURST + 20);
  let seq = 0;
  const item = (text: string): NewsItem => {
    seq++;
    return {
      id: `bench:${seq}`,
      origin: 'alpaca',
      kind: 'headline',
      source: 'bench',
      time: Date.UTC(2024, 0, 2, 15) + seq * 1000,
      headline: text,
      summary: '',
      symbols: seq % 5 === 0 ? [] : ['AAPL'],
      url: null,
    };
  };
  const deliver = (items: NewsItem[], backfill: boolean): void => {
    const now = performance.now();
    for (const it of items) arrived.set(it.id, now);
    feed.sink!.items(items, backfill);
  };

  // Warm-up: the first runs of a model are slower (allocations, kernel choice).
  for (let k = 0; k < 20; k++) deliver([item(texts[k]!)], false);
  await service.whenIdle();
  latency.length = 0;

  // Live: one item every 1/LIVE_RATE s.
  for (let k = 0; k < LIVE_ITEMS; k++) {
    deliver([item(texts[20 + k]!)], false);
    await new Promise((resolve) => setTimeout(resolve, 1000 / LIVE_RATE));
  }
  await service.whenIdle();
  const live = [...latency].sort((a, b) => a - b);
  latency.length = 0;

  // Burst: a backfill of BURST items in one call.
  const burstStart = performance.now();
  deliver(
    Array.from({ length: BURST }, (_, k) => item(texts[20 + LIVE_ITEMS + k]!)),
    true,
  );
  await service.whenIdle();
  const burstTotal = performance.now() - burstStart;
  const burst = [...latency].sort((a, b) => a - b);

  const metrics: Metric[] = [
    {
      name: `live ${LIVE_RATE} items/s, arrival to scored event p50`,
      value: percentile(live, 0.5),
      unit: 'ms',
    },
    {
      name: `live ${LIVE_RATE} items/s, arrival to scored event p99`,
      value: percentile(live, 0.99),
      unit: 'ms',
    },
    { name: `burst of ${BURST}, arrival to scored event p50`, value: percentile(burst, 0.5), unit: 'ms' },
    { name: `burst of ${BURST}, arrival to scored event p99`, value: percentile(burst, 0.99), unit: 'ms' },
    { name: `burst of ${BURST}, all scored and published`, value: burstTotal, unit: 'ms' },
    { name: `burst of ${BURST}, throughput`, value: (BURST / burstTotal) * 1000, unit: 'items/s' },
    { name: 'sentiment model load (cold, in the service)', value: loadMs, unit: 'ms' },
  ];
  const status = service.status();
  report('news', metrics, {
    model: which,
    sentiment: status.sentiment,
    headlines: from,
    liveItems: live.length,
    burstItems: burst.length,
    store: 'SQLite in a temporary folder (insert with dedupe, setScores)',
  });
  service.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

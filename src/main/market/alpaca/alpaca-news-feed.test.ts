/**
 * The Alpaca news feed against the loopback Alpaca server: what a trader relies on (every article once,
 * none lost to a dropped connection, plain words when something is wrong) on manual timers over real
 * loopback sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewsItem } from '../../../shared/domain';
import type { NewsFeed, NewsSink as EngineNewsSink } from '../../engine/ports';
import { createMemoryLogger } from '../../platform/log';
import { newsArticle } from '../../test-support/alpaca-server/news';
import { AlpacaTestServer } from '../../test-support/alpaca-server/server';
import { manualTimers, type ManualTimers } from '../../test-support/manual-timers';
import {
  createAlpacaNewsFeed,
  type AlpacaNewsFeed,
  type AlpacaNewsFeedTuning,
  type NewsSourceState,
} from './alpaca-news-feed';
import { resolveAlpacaConfig } from './config';
import { AlpacaStockStream, type StreamEvent } from './stream';
import { FRIDAY_10AM as T0, MINUTE, TEST_KEYS, settle, until } from './test-fixtures/feed-rig';
import { pass } from './test-fixtures/steps';

const DAY = 86_400_000;

interface Rig {
  server: AlpacaTestServer;
  timers: ManualTimers;
  feed: AlpacaNewsFeed;
  log: ReturnType<typeof createMemoryLogger>;
  /** Every delivery, in order. */
  deliveries: { ids: string[]; backfill: boolean }[];
  states: { state: NewsSourceState; message: string | null }[];
  /** Ids as delivered, flattened. */
  ids(): string[];
  reach(state: NewsSourceState): Promise<void>;
}

let rig: Rig | null = null;
afterEach(async () => {
  rig?.feed.stop();
  await rig?.server.close();
  rig = null;
});

async function newsRig(
  options: {
    lastStoredTime?: number | null;
    symbols?: '*' | string[];
    tuning?: Partial<AlpacaNewsFeedTuning>;
    streamUrl?: string;
    prepare?: (server: AlpacaTestServer) => void;
  } = {},
): Promise<Rig> {
  const server = await AlpacaTestServer.start({ keys: TEST_KEYS, horizon: T0 });
  options.prepare?.(server);
  const timers = manualTimers(T0);
  const log = createMemoryLogger();
  const config = resolveAlpacaConfig({
    environment: 'paper',
    env: { ...server.env(), ...(options.streamUrl ? { TRM_ALPACA_STREAM_URL: options.streamUrl } : {}) },
  });
  const feed = createAlpacaNewsFeed({
    config,
    keys: TEST_KEYS,
    timers,
    random: () => 0.5,
    log,
    lastStoredTime: () => options.lastStoredTime ?? null,
    ...(options.symbols ? { symbols: options.symbols } : {}),
    tuning: {
      ...options.tuning,
      stream: { pingIntervalMs: 0, handshakeTimeoutMs: 3_600_000, ...options.tuning?.stream },
    },
  });
  const deliveries: Rig['deliveries'] = [];
  const states: Rig['states'] = [];
  // The engine's own sink type: the feed must take it as it is.
  const sink: EngineNewsSink = {
    items: (items: readonly NewsItem[], backfill) =>
      deliveries.push({ ids: items.map((i) => i.id), backfill }),
    state: (state, message) => states.push({ state, message }),
  };
  const port: NewsFeed = feed; // the engine takes it as its NewsFeed
  port.start(sink);
  const r: Rig = {
    server,
    timers,
    feed,
    log,
    deliveries,
    states,
    ids: () => deliveries.flatMap((d) => d.ids),
    reach: (state) => until(() => states.at(-1)?.state === state, `news state ${state}`),
  };
  rig = r;
  return r;
}

const idsOf = (...numbers: number[]) => numbers.map((n) => `alpaca:${n}`);

describe('the Alpaca news feed', () => {
  it('subscribes to all news, fetches the last three days when the store has none, then streams', async () => {
    const r = await newsRig({
      prepare: (server) => {
        server.publishNews(
          newsArticle(1, T0 - 4 * DAY), // older than the window
          newsArticle(2, T0 - 2 * DAY, ['TSLA']),
          newsArticle(3, T0 - 10 * MINUTE, []),
        );
      },
    });
    await r.reach('live');
    expect(r.states.map((s) => s.state)).toEqual(['starting', 'backfilling', 'live']);
    expect(r.server.newsSubscription()).toEqual(['*']);
    expect(r.deliveries).toEqual([{ ids: idsOf(2, 3), backfill: true }]);
    const request = r.server.requests.find((q) => q.path === '/v1beta1/news')!;
    expect(request.query.start).toBe(new Date(T0 - 3 * DAY).toISOString());

    r.server.publishNews(newsArticle(4, T0 + 1_000, ['AAPL', 'MSFT']));
    await until(() => r.ids().includes('alpaca:4'), 'the streamed article');
    expect(r.deliveries.at(-1)).toEqual({ ids: idsOf(4), backfill: false });
    // Quiet for ten minutes on a healthy socket: nothing tears it down.
    await pass(r.timers, 10 * MINUTE, 30_000);
    expect(r.server.connectionsOpened).toBe(1);
    expect(r.states.at(-1)!.state).toBe('live');
  });

  it('fetches from the newest stored article, and follows only the symbols it is given', async () => {
    const r = await newsRig({
      lastStoredTime: T0 - 30 * MINUTE,
      symbols: ['AAPL'],
      prepare: (server) => {
        server.publishNews(
          newsArticle(1, T0 - 40 * MINUTE, ['AAPL']),
          newsArticle(2, T0 - 20 * MINUTE, ['AAPL']),
          newsArticle(3, T0 - 20 * MINUTE, ['TSLA']),
        );
      },
    });
    await r.reach('live');
    expect(r.server.newsSubscription()).toEqual(['AAPL']);
    expect(r.ids()).toEqual(idsOf(2));
    const request = r.server.requests.find((q) => q.path === '/v1beta1/news')!;
    expect(request.query).toMatchObject({
      start: new Date(T0 - 31 * MINUTE).toISOString(), // one minute of overlap
      symbols: 'AAPL',
    });
  });

  it('holds what streams during the catch-up and delivers each article once, in order', async () => {
    let releaseRest: () => void = () => {};
    const r = await newsRig({
      prepare: (server) => {
        server.publishNews(newsArticle(1, T0 - 5 * MINUTE), newsArticle(2, T0 - 2 * MINUTE));
        releaseRest = server.holdRest();
      },
    });
    await until(
      () => r.server.newsSubscription() !== null && r.states.at(-1)?.state === 'backfilling',
      'connected',
    );
    // Published while the history request is under way: the stream has them, and REST will too.
    r.server.publishNews(newsArticle(3, T0 - 1_000), newsArticle(4, T0));
    await settle(50);
    expect(r.ids(), 'nothing before the history').toEqual([]);
    releaseRest();
    await r.reach('live');
    expect(r.deliveries).toEqual([{ ids: idsOf(1, 2, 3, 4), backfill: true }]);
  });

  it('after a drop while publishing, fills the outage from history: every article exactly once', async () => {
    const r = await newsRig({ prepare: (server) => server.publishNews(newsArticle(1, T0 - MINUTE)) });
    await r.reach('live');
    r.server.publishNews(newsArticle(2, T0 + 1_000));
    await until(() => r.ids().includes('alpaca:2'), 'article 2 streamed');

    // One more frame goes out, then the socket dies while articles keep being published. They are
    // stamped a little ahead of the feed's clock, as when the local clock runs behind Alpaca's.
    r.server.dropNewsAfter(1);
    await pass(r.timers, 5_000);
    r.server.publishNews(newsArticle(3, T0 + 6_000), newsArticle(4, T0 + 6_000), newsArticle(5, T0 + 7_000));
    await r.reach('reconnecting');
    r.server.dropNewsAfter(Infinity);
    expect(r.states.at(-1)!.message).toMatch(/^lost the connection to Alpaca news .*; retrying in/);
    r.server.publishNews(newsArticle(6, T0 + 7_000, ['MSFT'])); // while nobody listens
    await pass(r.timers, 60_000, 1_000);
    await r.reach('live');
    r.server.publishNews(newsArticle(7, T0 + 80_000));
    await until(() => r.ids().includes('alpaca:7'), 'article 7 streamed after the reconnect');

    const ids = r.ids();
    expect(ids).toEqual(idsOf(1, 2, 3, 4, 5, 6, 7));
    expect(new Set(ids).size).toBe(ids.length);
    const backfilled = r.deliveries.filter((d) => d.backfill).flatMap((d) => d.ids);
    expect(backfilled).toEqual(expect.arrayContaining(idsOf(4, 5, 6)));
    expect(r.server.connectionsOpened).toBe(2);
  });

  it('streams while the history cannot be fetched, and fills it in once it can, even after a drop', async () => {
    const r = await newsRig({
      prepare: (server) => {
        server.publishNews(newsArticle(1, T0 - 10 * MINUTE));
        server.forbidRest(true);
      },
    });
    await r.reach('live');
    expect(r.states.at(-1)!.message).toMatch(
      /^streaming, but the news since .* could not be fetched: Alpaca refused news \(HTTP 403.*; retrying in 30 s$/,
    );
    expect(r.states.at(-1)!.message).not.toContain(TEST_KEYS.keyId); // the server echoes it
    r.server.publishNews(newsArticle(2, T0 + 1_000));
    await until(() => r.ids().includes('alpaca:2'), 'the streamed article');

    // Dropped before the history came: the next connection's catch-up still starts before article 1.
    r.server.dropAll();
    await r.reach('reconnecting');
    await pass(r.timers, 2_000, 500);
    await until(() => r.states.filter((s) => s.state === 'live').length === 2, 'streaming again');
    r.server.forbidRest(false);
    await pass(r.timers, 30_000, 1_000);
    await until(() => r.ids().includes('alpaca:1'), 'the history');
    expect(r.deliveries).toEqual([
      { ids: idsOf(2), backfill: false },
      { ids: idsOf(1), backfill: true },
    ]);
    expect(r.states.at(-1)).toEqual({ state: 'live', message: null });
  });

  it('waits as long as a 429 Retry-After says before fetching history again', async () => {
    const r = await newsRig({
      prepare: (server) => {
        server.publishNews(newsArticle(1, T0 - MINUTE));
        server.rateLimitNext(1, 20);
      },
    });
    await until(() => /rate limit/.test(r.states.at(-1)?.message ?? ''), 'the rate limit reported');
    expect(r.states.at(-1)).toEqual({
      state: 'backfilling',
      message: "Alpaca's rate limit was reached; waiting 20 s as it asked (Retry-After)",
    });
    await pass(r.timers, 19_000);
    expect(r.ids()).toEqual([]);
    expect(r.server.requests.filter((q) => q.path === '/v1beta1/news')).toHaveLength(1);
    await pass(r.timers, 2_000, 500);
    await r.reach('live');
    expect(r.ids()).toEqual(idsOf(1));
  });

  it('stops on refused keys with what to do, and reconnects when new keys are saved', async () => {
    const r = await newsRig({ prepare: (server) => server.failAuthWith(401) });
    await r.reach('error');
    const message = r.states.at(-1)!.message!;
    expect(message).toMatch(
      /^Alpaca refused the API keys for news \(401 not authenticated\)\. Check APCA_API_KEY_ID/,
    );
    await pass(r.timers, 5 * 60_000, 30_000);
    expect(r.server.connectionsOpened, 'no retry with keys Alpaca refused').toBe(1);
    for (const line of [...r.log.lines, ...r.states.map((s) => s.message ?? '')]) {
      expect(line).not.toContain(TEST_KEYS.keyId);
      expect(line).not.toContain(TEST_KEYS.secret);
    }
    r.feed.updateKeys(TEST_KEYS);
    await r.reach('live');
  });

  it('waits minutes when another program holds the news connection (406)', async () => {
    const r = await newsRig({ prepare: (server) => server.failAuthWith(406) });
    await until(() => /406/.test(r.states.at(-1)?.message ?? ''), 'the refusal');
    expect(r.states.at(-1)).toEqual({
      state: 'starting',
      message:
        'Alpaca allows one news connection per account and another program is using it (406 connection limit ' +
        'exceeded). Close the other connection; retrying in 60 s',
    });
    await pass(r.timers, 59_000, 1_000);
    expect(r.server.connectionsOpened, 'no retry within the minute').toBe(1);
    await pass(r.timers, 2_000, 500);
    await r.reach('live');
  });

  it('runs beside the market-data stream: Alpaca limits connections per endpoint', async () => {
    const r = await newsRig();
    await r.reach('live');
    const events: StreamEvent[] = [];
    const stocks = new AlpacaStockStream({
      url: `${r.server.streamUrl}/v2/iex`,
      keys: TEST_KEYS,
      timers: r.timers,
      random: () => 0.5,
      log: createMemoryLogger(),
      isSessionOpen: () => false,
      tuning: { pingIntervalMs: 0 },
      listener: { status: (event) => events.push(event) },
    });
    stocks.setChannels({ bars: ['SPY'], trades: [], quotes: [] });
    stocks.start();
    try {
      await until(() => events.length > 1, 'the stock stream answered');
      expect(events.map((e) => e.kind)).toEqual(['connecting', 'ready']);
      expect(r.states.at(-1)!.state).toBe('live');
    } finally {
      stocks.stop();
    }
  });

  it('ends a socket whose pongs stop coming and reconnects', async () => {
    const r = await newsRig({ tuning: { stream: { pingIntervalMs: 15_000, pongWaitMs: 5_000 } } });
    await r.reach('live');
    // Small steps: each gives the real loopback pong a moment to arrive before the next 500 ms pass.
    await pass(r.timers, 2 * MINUTE, 500);
    expect(r.states.at(-1)!.state, 'pongs answered: alive').toBe('live');
    expect(r.server.connectionsOpened).toBe(1);
    r.server.withholdPongs(true);
    await pass(r.timers, 21_000, 1_000);
    const ended = r.states.find((s) => s.state === 'reconnecting');
    expect(ended?.message).toMatch(/^lost the connection to Alpaca news \(no answer to a ping within 5 s\)/);
    r.server.withholdPongs(false);
    await pass(r.timers, 5_000, 500);
    await r.reach('live');
    expect(r.server.connectionsOpened).toBe(2);
  });

  it('says plainly when Alpaca cannot be reached', async () => {
    const r = await newsRig({ streamUrl: 'ws://nonexistent.invalid' });
    await until(
      () => r.states.some((s) => s.message?.startsWith('cannot reach') ?? false),
      'the failed lookup',
    );
    const state = r.states.find((s) => s.message?.startsWith('cannot reach'))!;
    expect(state.state).toBe('starting');
    expect(state.message).toMatch(
      /^cannot reach Alpaca at nonexistent\.invalid for news \(no internet connection, or blocked by a firewall\?\); retrying in .* \[(ENOTFOUND|EAI_AGAIN)\]$/,
    );
  });
});

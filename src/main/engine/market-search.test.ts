/**
 * Symbol search (`market.searchSymbols`): over the feed's symbols, every symbol with bars in the store and
 * the broker's asset list (Alpaca's GET /v2/assets, here from the loopback server), ranked exact symbol,
 * then prefix, then name; a missing or failing asset list only drops that source, with one log line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SymbolInfo } from '../../shared/domain';
import { requests } from '../../shared/api';
import { AlpacaTradingRest } from '../broker/alpaca/trading-rest';
import { nyseCalendar } from '../core/calendar';
import type { FeedSink, MarketFeed } from '../market/feed';
import { createMemoryLogger } from '../platform/log';
import type { Store } from '../store/store';
import { series, storePerTest } from '../store/test-fixtures/helpers';
import { AlpacaTestServer } from '../test-support/alpaca-server/server';
import { manualTimers } from '../test-support/manual-timers';
import { TopicBus } from './bus';
import { MarketService, rankSymbols, type SymbolCandidate } from './market-service';
import type { EngineTopics } from './topics';

class IdleFeed implements MarketFeed {
  readonly source = 'idle';
  readonly speed = 1;
  constructor(readonly symbols: readonly SymbolInfo[]) {}
  start(sink: FeedSink): void {
    sink.state('live', null);
  }
  stop(): void {}
}

const FEED: SymbolInfo[] = [
  { symbol: 'SPY', name: 'SPDR S&P 500 ETF', kind: 'index-etf' },
  { symbol: 'QQQ', name: 'Invesco QQQ Trust', kind: 'index-etf' },
];

let store: Store;
storePerTest((s) => (store = s));

function service(assets?: () => Promise<readonly { symbol: string; name: string }[]>) {
  const log = createMemoryLogger();
  const timers = manualTimers();
  const market = new MarketService({
    feed: new IdleFeed(FEED),
    store,
    calendar: nyseCalendar,
    timers,
    log,
    bus: new TopicBus<EngineTopics>(() => {}),
    ...(assets ? { assets } : {}),
  });
  market.start();
  const search = async (query: string, limit = 20) =>
    requests['market.searchSymbols'].result.parse(
      await market.handlers['market.searchSymbols'](
        requests['market.searchSymbols'].params.parse({ query, limit }),
      ),
    );
  return { market, log, search, timers };
}

/** Registers a symbol as an import would, with some 1m bars unless `bars` is false. */
function stored(symbol: string, name: string, bars = true): void {
  store.symbols.register({ symbol, name, kind: 'stock', calendar: 'XNYS', source: 'import' });
  if (bars) store.bars.upsert(series(symbol, 3));
}

describe('rankSymbols', () => {
  const c = (
    symbol: string,
    name: string,
    source: SymbolCandidate['source'] = 'broker',
  ): SymbolCandidate => ({
    symbol,
    name,
    source,
    live: source === 'feed',
  });

  it('puts the exact symbol first, then symbols starting with the query, then names containing it', () => {
    const ranked = rankSymbols(
      [
        c('AAPB', 'GraniteShares 2x Long AAPL'),
        c('AAPLX', 'Some fund'),
        c('AAPL', 'Apple Inc.'),
        c('MSFT', 'Microsoft'),
        c('AAP', 'Advance Auto Parts'),
      ],
      'aapl',
      10,
    );
    expect(ranked.map((m) => m.symbol)).toEqual(['AAPL', 'AAPLX', 'AAPB']);
  });

  it('prefers the feed, then the store, then the broker within a rank, and keeps one entry per symbol', () => {
    const ranked = rankSymbols(
      [
        c('SPYG', 'SPDR growth', 'feed'),
        c('SPYD', 'SPDR dividend', 'store'),
        c('SPYA', 'x'),
        c('SPYD', 'dup'),
      ],
      'SPY',
      10,
    );
    expect(ranked.map((m) => [m.symbol, m.source])).toEqual([
      ['SPYG', 'feed'],
      ['SPYD', 'store'],
      ['SPYA', 'broker'],
    ]);
  });

  it('takes a real name from a later source when the first knows only the bare symbol, and honours the limit', () => {
    const ranked = rankSymbols([c('XLF', 'XLF', 'store'), c('XLF', 'Financial Select Sector SPDR')], 'XL', 5);
    expect(ranked).toEqual([
      { symbol: 'XLF', name: 'Financial Select Sector SPDR', source: 'store', live: false },
    ]);
    expect(rankSymbols([c('A', 'a'), c('B', 'b'), c('C', 'c')], '', 2)).toHaveLength(2);
  });
});

describe('market.searchSymbols', () => {
  it("finds the feed's symbols, symbols with stored bars (not live) and not registered symbols without bars", async () => {
    stored('NVDA', 'NVIDIA Corp');
    stored('EMPTY', 'Registered without bars', false);
    stored('SPY', 'SPY');
    const { search } = service();
    expect(await search('')).toEqual([
      { symbol: 'SPY', name: 'SPDR S&P 500 ETF', source: 'feed', live: true },
      { symbol: 'QQQ', name: 'Invesco QQQ Trust', source: 'feed', live: true },
      { symbol: 'NVDA', name: 'NVIDIA Corp', source: 'store', live: false },
    ]);
    expect(await search('nvidia')).toEqual([
      { symbol: 'NVDA', name: 'NVIDIA Corp', source: 'store', live: false },
    ]);
    expect(await search('EMPTY')).toEqual([]);
  });

  it('sees symbols stored after a search within two seconds', async () => {
    const { search, timers } = service();
    expect(await search('ACME')).toEqual([]);
    stored('ACME', 'Acme Corp');
    timers.advance(2000);
    expect(await search('ACME')).toEqual([
      { symbol: 'ACME', name: 'Acme Corp', source: 'store', live: false },
    ]);
  });

  it("adds the broker's asset list, fetched once per run", async () => {
    let calls = 0;
    const { search } = service(() => {
      calls++;
      return Promise.resolve([
        { symbol: 'AAPL', name: 'Apple Inc.' },
        { symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust' },
      ]);
    });
    expect(await search('apple')).toEqual([
      { symbol: 'AAPL', name: 'Apple Inc.', source: 'broker', live: false },
    ]);
    // SPY is the feed's: one entry, live.
    expect(await search('SPY')).toEqual([
      { symbol: 'SPY', name: 'SPDR S&P 500 ETF', source: 'feed', live: true },
    ]);
    expect(calls).toBe(1);
  });

  it('answers without the broker when its asset list fails, with one log line', async () => {
    const { search, log } = service(() =>
      Promise.reject(new Error('Alpaca refused the API keys (HTTP 401)')),
    );
    expect((await search('Q')).map((m) => m.symbol)).toEqual(['QQQ']);
    await search('S');
    const lines = log.lines.filter((line) => line.includes("without the broker's asset list"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('HTTP 401');
  });

  it('rejects a query longer than 64 characters and a limit outside 1..200', () => {
    const params = requests['market.searchSymbols'].params;
    expect(params.safeParse({ query: 'x'.repeat(65) }).success).toBe(false);
    expect(params.safeParse({ query: 'x', limit: 0 }).success).toBe(false);
    expect(params.parse({ query: 'x' })).toEqual({ query: 'x', limit: 20 });
  });
});

describe("Alpaca's asset list (GET /v2/assets on the loopback server)", () => {
  const KEYS = { keyId: 'PKASSETSTEST0001', secret: 'assetsSecret0123456789abcd' };
  let server: AlpacaTestServer;
  beforeEach(async () => {
    server = await AlpacaTestServer.start({ keys: KEYS, horizon: Date.UTC(2025, 2, 14, 14) });
  });
  afterEach(async () => server.close());

  it('lists the active US equities only, with their names', async () => {
    const rest = new AlpacaTradingRest({ baseUrl: server.tradingUrl, keys: KEYS });
    expect(await rest.assets()).toEqual([
      { symbol: 'AAPL', name: 'Apple Inc. Common Stock' },
      { symbol: 'BRK.B', name: 'Berkshire Hathaway Inc. Class B' },
      { symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust' },
    ]);
    expect(server.trading.requests.at(-1)?.query).toEqual({ status: 'active', asset_class: 'us_equity' });
  });

  it('fails in plain words when Alpaca has a problem', async () => {
    server.trading.assetsStatus = 500;
    const rest = new AlpacaTradingRest({ baseUrl: server.tradingUrl, keys: KEYS });
    await expect(rest.assets()).rejects.toThrow(/Alpaca had a problem answering \(HTTP 500/);
  });
});

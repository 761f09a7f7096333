/**
 * The kernel's own duties beyond the market service: telling a live feed which symbols are on screen,
 * stopping imports before the store closes, and refusing calls for parts a mode did not plug in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SymbolInfo } from '../../shared/domain';
import { nyseCalendar } from '../core/calendar';
import type { FeedSink, MarketFeed } from '../market/feed';
import { createMemoryLogger } from '../platform/log';
import { openStore } from '../store/store';
import { manualTimers } from '../test-support/manual-timers';
import { Engine, type EngineParts } from './kernel';
import type { ImportIntake } from './ports';

class InterestFeed implements MarketFeed {
  readonly source = 'interest';
  readonly speed = 1;
  readonly interests: string[][] = [];
  readonly symbols: readonly SymbolInfo[] = ['SPY', 'QQQ', 'TLT'].map((symbol) => ({
    symbol,
    name: symbol,
    kind: 'index-etf' as const,
  }));
  start(sink: FeedSink): void {
    sink.state('live', null);
  }
  stop(): void {}
  setInterest(symbols: readonly string[]): void {
    this.interests.push([...symbols].sort());
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-kernel-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function engine(feed: MarketFeed, extra: Partial<EngineParts> = {}): Engine {
  return new Engine({
    mode: 'paper',
    feed,
    calendar: nyseCalendar,
    timers: manualTimers(),
    log: createMemoryLogger(),
    ...extra,
    store: extra.store ?? openStore(join(dir, 'market.sqlite')),
  });
}

describe('Engine', () => {
  it('tells the feed which symbols are on screen, once per change of that set', () => {
    const feed = new InterestFeed();
    const e = engine(feed);
    e.start();
    const listen = (symbols: string[]) => e.service.events['market.barsUpdated']({ symbols }, () => {});
    const stopSpy = listen(['SPY']);
    const stopBoth = listen(['SPY', 'QQQ']);
    const stopSpyAgain = listen(['SPY']);
    stopSpy();
    stopSpyAgain(); // SPY is still listened to by the second listener: no change
    stopBoth();
    expect(feed.interests).toEqual([['SPY'], ['QQQ', 'SPY'], []]);
    e.stop();
  });

  it('stops imports before the store closes', () => {
    const order: string[] = [];
    const intake: ImportIntake = {
      begin: () => {},
      chunk: () => {},
      finish: () => Promise.reject(new Error('not in this test')),
      progress: () => () => {},
      close: () => order.push('imports closed'),
    };
    const store = openStore(join(dir, 'market.sqlite'));
    const close = store.close.bind(store);
    const e = engine(new InterestFeed(), {
      store: { ...store, close: () => (order.push('store closed'), close()) },
      imports: intake,
    });
    e.start();
    e.stop();
    expect(order).toEqual(['imports closed', 'store closed']);
  });

  it('answers calls for a part the mode did not plug in with what to do instead', async () => {
    const e = engine(new InterestFeed());
    await expect(Promise.resolve().then(() => e.service.handlers['replay.state']({}))).rejects.toThrow(
      /--mode replay/,
    );
    await expect(
      Promise.resolve().then(() => e.service.handlers['import.finish']({ importId: 'abcdefgh' })),
    ).rejects.toThrow(/trm import/);
    e.stop();
  });
});

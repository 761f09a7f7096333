/**
 * The news the panel shows, for one filter symbol (null: all): the stored items (`news.list`, the latest
 * MAX_NEWS_ROWS) and each scored item as it arrives (`news.items`). The listen is made first, so an item
 * published while the stored ones are on their way is not lost; both are merged by id, newest first.
 *
 * Arrivals are batched: whatever comes within one animation frame (a backfill of a thousand items, a
 * fast replay) is merged in one state update, so a burst costs one render, not one per item. Asked again
 * after each reconnect, when the filter changes, and when `reloadKey` changes (a replay seek rewinds the
 * engine, which drops the news after the new time): the stored items then replace what was held.
 */
import { useEffect, useState } from 'react';
import type { ScoredNews } from '../../shared/domain';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { describeCallError } from '../signals/use-engine-call';
import { MAX_NEWS_ROWS, mergeNews, showsUnder } from './news-list';

/** A hidden page gets no animation frames: arrivals are merged on a slow timer instead. */
const HIDDEN_FLUSH_MS = 1000;

export interface NewsState {
  /** Newest first, at most MAX_NEWS_ROWS. */
  items: readonly ScoredNews[];
  /** The stored items are on their way. */
  loading: boolean;
  /** Why the stored news could not be read, in the engine's words ("Demo mode has no news source: …"), or null. */
  error: string | null;
  /** Why new items do not arrive, or null. */
  liveError: string | null;
  /** Items heard live since the list was (re)loaded, and the state updates they took (for tests). */
  received: number;
  batches: number;
}

interface Held {
  key: string;
  items: readonly ScoredNews[];
  loaded: boolean;
  error: string | null;
  received: number;
  batches: number;
}

const EMPTY: Held = { key: '', items: [], loaded: false, error: null, received: 0, batches: 0 };

/**
 * @param symbol only items naming this symbol (null: all news, market-wide items included)
 * @param reloadKey changes when the engine's news may have changed wholesale (a replay seek, an import)
 */
export function useNews(symbol: string | null, reloadKey: string): NewsState {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const key = `${symbol ?? '*'}|${reloadKey}|${linkEpoch}`;
  const [held, setHeld] = useState<Held>(EMPTY);
  const [liveError, setLiveError] = useState<{ key: string; message: string } | null>(null);

  useEffect(() => {
    if (linkEpoch === 0) return;
    let cancelled = false;
    // Heard while the stored items are out: merged into them when they arrive.
    let early: ScoredNews[] = [];
    let listIn = false;
    let pending: ScoredNews[] = [];
    let cancelFlush: (() => void) | null = null;

    const flush = (): void => {
      cancelFlush = null;
      if (cancelled || pending.length === 0) return;
      const batch = pending;
      pending = [];
      setHeld((previous) => ({
        ...previous,
        items: mergeNews(previous.items, batch),
        received: previous.received + batch.length,
        batches: previous.batches + 1,
      }));
    };
    const scheduleFlush = (): void => {
      if (cancelFlush !== null) return;
      if (document.visibilityState === 'hidden') {
        const timer = setTimeout(flush, HIDDEN_FLUSH_MS);
        cancelFlush = () => clearTimeout(timer);
      } else {
        const frame = requestAnimationFrame(flush);
        cancelFlush = () => cancelAnimationFrame(frame);
      }
    };

    const unlisten = client.listen(
      'news.items',
      symbol === null ? {} : { symbols: [symbol] },
      ({ items }) => {
        // Market-wide items pass any listen; under a symbol the panel shows only those naming it.
        const wanted = symbol === null ? items : items.filter((item) => showsUnder(item, symbol));
        if (wanted.length === 0) return;
        if (!listIn) {
          early.push(...wanted);
          return;
        }
        pending.push(...wanted);
        // Only the newest rows can show: a long hidden spell must not grow the queue without bound.
        if (pending.length > 4 * MAX_NEWS_ROWS) pending = mergeNews([], pending);
        scheduleFlush();
      },
      (error) => setLiveError({ key, message: describeCallError(error) }),
    );
    const settle = (stored: readonly ScoredNews[], error: string | null): void => {
      if (cancelled) return;
      listIn = true;
      setHeld({
        key,
        items: mergeNews(stored, early),
        loaded: true,
        error,
        received: early.length,
        batches: early.length > 0 ? 1 : 0,
      });
      early = [];
    };
    client.call('news.list', { ...(symbol === null ? {} : { symbol }), limit: MAX_NEWS_ROWS }).then(
      (stored) => settle(stored, null),
      (error: unknown) => settle([], describeCallError(error)),
    );
    return () => {
      cancelled = true;
      cancelFlush?.();
      unlisten();
    };
  }, [client, linkEpoch, key, symbol]);

  const current = held.key === key;
  return {
    items: current ? held.items : [],
    loading: linkEpoch !== 0 && !(current && held.loaded),
    error: current ? held.error : null,
    liveError: liveError?.key === key ? liveError.message : null,
    received: current ? held.received : 0,
    batches: current ? held.batches : 0,
  };
}

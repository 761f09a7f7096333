/**
 * Live quotes for the watchlist: each watched symbol's two newest daily bars (`market.bars` 1D) for the
 * last price and the previous session's close, then `market.barsUpdated` for the watched symbols the feed
 * serves (64 per listen, the contract's maximum), whose 1D bars move the last price. Loaded again when
 * the list changes, the link reopens or `reloadKey` changes (an import, a replay seek).
 */
import { useEffect, useState } from 'react';
import type { Bar } from '../../shared/domain';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { emptyQuote, quoteFromDaily, quoteWithBar, type WatchQuote } from './watch-quote';

/** Symbols per `market.barsUpdated` listen (the contract's maximum). */
const LISTEN_CHUNK = 64;

export function useWatchQuotes(
  symbols: readonly string[],
  live: ReadonlySet<string>,
  reloadKey: string,
): ReadonlyMap<string, WatchQuote> {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const [quotes, setQuotes] = useState<ReadonlyMap<string, WatchQuote>>(new Map());
  const key = symbols.join(',');
  const liveKey = symbols.filter((s) => live.has(s)).join(',');

  useEffect(() => {
    if (linkEpoch === 0 || key === '') return;
    let cancelled = false;
    const watched = key.split(',');
    const apply = (bars: readonly Bar[]): void => {
      setQuotes((previous) => {
        let next: Map<string, WatchQuote> | null = null;
        for (const bar of bars) {
          if (bar.timeframe !== '1D') continue;
          if (!watched.includes(bar.symbol)) continue;
          const quote = (next ?? previous).get(bar.symbol) ?? emptyQuote(bar.symbol);
          const updated = quoteWithBar(quote, bar);
          if (updated === quote) continue;
          next ??= new Map(previous);
          next.set(bar.symbol, updated);
        }
        return next ?? previous;
      });
    };
    for (const symbol of watched) {
      client.call('market.bars', { symbol, timeframe: '1D', limit: 2 }).then(
        (bars) => {
          if (cancelled) return;
          // The answer wins over what streamed in meanwhile: the next streamed bar is newer than both.
          setQuotes((previous) => new Map(previous).set(symbol, quoteFromDaily(symbol, bars)));
        },
        () => {
          // The row shows '—' until a bar streams in; the chart panes report failed loads.
        },
      );
    }
    const served = liveKey === '' ? [] : liveKey.split(',');
    const stops: (() => void)[] = [];
    for (let i = 0; i < served.length; i += LISTEN_CHUNK) {
      stops.push(
        client.listen(
          'market.barsUpdated',
          { symbols: served.slice(i, i + LISTEN_CHUNK) },
          ({ bars }) => {
            if (!cancelled) apply(bars);
          },
          () => {},
        ),
      );
    }
    return () => {
      cancelled = true;
      for (const stop of stops) stop();
    };
  }, [client, linkEpoch, key, liveKey, reloadKey]);

  return quotes;
}

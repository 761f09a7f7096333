/**
 * Live quotes for the watchlist: each watched symbol's two newest daily bars (`market.bars` 1D) for the
 * last price and the previous session's close, then the live 1D bars of the watched symbols the feed
 * serves, through the panes' bar stream (market/bar-stream.ts: one `market.barsUpdated` listen per symbol
 * however many panes and rows show it). Loaded again when the list changes, the link reopens or
 * `reloadKey` changes (an import, a replay seek).
 */
import { useEffect, useState } from 'react';
import type { Bar } from '../../shared/domain';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { barStreamFor } from '../market/bar-stream';
import { emptyQuote, quoteFromDaily, quoteWithBar, type WatchQuote } from './watch-quote';

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
    const stream = barStreamFor(client);
    const stops = served.map((symbol) =>
      stream.subscribe(symbol, '1D', {
        onBars: (bars) => {
          if (!cancelled) apply(bars);
        },
        onError: () => {},
      }),
    );
    return () => {
      cancelled = true;
      for (const stop of stops) stop();
    };
  }, [client, linkEpoch, key, liveKey, reloadKey]);

  return quotes;
}

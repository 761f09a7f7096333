/**
 * Feeds one pane's chart: for each symbol and timeframe it subscribes to live bars first and then asks
 * for history, so nothing falls between the two; the chart holds live bars until the history is in.
 * History is asked for once the link is open and again after each reconnect and each change of the
 * stored data (an import); a retry also subscribes again. Older bars, when the trader scrolls back,
 * come from the same `market.bars` call with `before` (the chart decides when).
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Timeframe } from '../../shared/domain';
import { EngineError } from '../../shared/protocol';
import type { CandleChart } from '../charts/candle-chart';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { barStreamFor } from '../market/bar-stream';

export const HISTORY_BARS = 500;

export interface PaneFeed {
  /** History for the current symbol and timeframe has not arrived yet. */
  loading: boolean;
  /** Why history could not be loaded, or null. */
  error: string | null;
  /** The engine is unreachable; the pane loads by itself once it is back. */
  waitingForEngine: boolean;
  /** Why live updates stopped or a payload was dropped, or null. */
  liveError: string | null;
  retry: () => void;
}

interface Outcome {
  key: string;
  error: EngineError | null;
}

const describe = (error: unknown): EngineError =>
  error instanceof EngineError
    ? error
    : new EngineError('FAILED', error instanceof Error ? error.message : String(error));

/**
 * @param dataVersion Bumped when the stored history changed under the pane (an import): reload it.
 */
export function usePaneFeed(
  chartRef: RefObject<CandleChart | null>,
  symbol: string | null,
  timeframe: Timeframe,
  dataVersion = 0,
): PaneFeed {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const [attempt, setAttempt] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [liveError, setLiveError] = useState<{ key: string; message: string } | null>(null);
  // Answers are tagged with what they were for, so those of superseded requests are recognised.
  const loadKey = `${symbol}|${timeframe}|${linkEpoch}|${attempt}|${dataVersion}`;
  const streamKey = `${symbol}|${timeframe}|${attempt}`;

  // Live bars: one subscription per view. It survives reconnects (the client re-listens by itself), and
  // is declared first so that, when the view changes, it is in place before history is requested.
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart || symbol === null) return;
    const key = `${symbol}|${timeframe}|${attempt}`;
    return barStreamFor(client).subscribe(symbol, timeframe, {
      onBars: (bars) => chart.push(bars),
      onError: (error, fatal) =>
        setLiveError({
          key,
          message: fatal
            ? `Live updates stopped: ${error.message}`
            : `A live update was dropped: ${error.message}`,
        }),
    });
  }, [client, chartRef, symbol, timeframe, attempt]);

  // Older pages, when the trader scrolls back: the chart asks, with the view it was made for.
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.setOlderSource((forSymbol, forTimeframe, { before, limit }) =>
      client.call('market.bars', { symbol: forSymbol, timeframe: forTimeframe, before, limit }),
    );
    return () => chart.setOlderSource(null);
  }, [client, chartRef]);

  // History, once per view, link epoch and data version. A new data version means the stored history
  // changed (an import, a replay seek): older pages held are stale too, and are not kept.
  const seenVersion = useRef(dataVersion);
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart || symbol === null) return;
    const storeChanged = seenVersion.current !== dataVersion;
    seenVersion.current = dataVersion;
    chart.reset(symbol, timeframe, storeChanged);
    if (linkEpoch === 0) return;
    const key = `${symbol}|${timeframe}|${linkEpoch}|${attempt}|${dataVersion}`;
    let cancelled = false;
    client.call('market.bars', { symbol, timeframe, limit: HISTORY_BARS }).then(
      (bars) => {
        if (cancelled) return;
        try {
          chart.load(bars);
          setOutcome({ key, error: null });
        } catch (error) {
          setOutcome({ key, error: describe(error) });
        }
      },
      (error: unknown) => {
        if (!cancelled) setOutcome({ key, error: describe(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, chartRef, symbol, timeframe, linkEpoch, attempt, dataVersion]);

  const settled = outcome?.key === loadKey ? outcome : null;
  const failure = settled?.error ?? null;
  const offline = linkEpoch === 0 || failure?.code === 'UNAVAILABLE';
  return {
    loading: symbol !== null && !offline && settled === null,
    error: failure && !offline ? `${failure.code}: ${failure.message}` : null,
    waitingForEngine: symbol !== null && offline,
    liveError: liveError?.key === streamKey ? liveError.message : null,
    retry: () => setAttempt((n) => n + 1),
  };
}

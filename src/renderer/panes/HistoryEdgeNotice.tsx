/**
 * A quiet line at the chart's top-left about scrolling back: older bars on their way, the start of the
 * stored history (once the trader reaches it), the most a pane holds, or why a page failed.
 */
import type { ReactNode } from 'react';
import { HISTORY_MAX_BARS, type ChartSnapshot } from '../charts/candle-chart';

interface HistoryEdgeNoticeProps {
  snapshot: ChartSnapshot;
  onRetry: () => void;
}

export function HistoryEdgeNotice({ snapshot, onRetry }: HistoryEdgeNoticeProps) {
  const { history, atOldest, barCount } = snapshot;
  let content: ReactNode = null;
  if (barCount === 0) content = null;
  else if (history === 'loading') content = 'Loading older bars…';
  else if (history === 'start' && atOldest) content = 'Start of stored history';
  else if (history === 'limit' && atOldest)
    content = `A pane holds at most ${HISTORY_MAX_BARS.toLocaleString('en-US')} bars; a longer timeframe reaches further back`;
  else if (history === 'error')
    content = (
      <>
        <span>Older bars could not be loaded: {snapshot.historyError}</span>
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      </>
    );
  if (content === null) return null;
  return (
    <div
      className={`history-edge${history === 'error' ? ' history-edge-error' : ''}`}
      data-testid="history-edge"
      data-state={history}
      role={history === 'error' ? 'alert' : 'status'}
    >
      {content}
    </div>
  );
}

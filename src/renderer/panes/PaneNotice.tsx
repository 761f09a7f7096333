/** What a pane says instead of (or on top of) its chart: loading, no data, a failed load, a stalled stream. */
import type { Timeframe } from '../../shared/domain';
import { useConnection } from '../engine/engine-context';
import type { PaneFeed } from './use-pane-feed';

interface PaneNoticeProps {
  symbol: string | null;
  timeframe: Timeframe;
  feed: PaneFeed;
  /** The series holds no bars. */
  empty: boolean;
}

export function PaneNotice({ symbol, timeframe, feed, empty }: PaneNoticeProps) {
  const connected = useConnection().state === 'open';
  if (symbol === null) {
    return (
      <div className="pane-notice">
        {connected ? 'Waiting for the symbol list…' : 'Not connected to the engine'}
      </div>
    );
  }
  // With bars on screen, the status bar and the banner say the link is down; the chart stays readable.
  if (feed.waitingForEngine) return empty ? <div className="pane-notice">Waiting for the engine…</div> : null;
  if (feed.error !== null) {
    return (
      <div className="pane-notice pane-notice-error" role="alert">
        <strong>Could not load bars for {symbol}</strong>
        <span className="pane-notice-detail">{feed.error}</span>
        <button type="button" onClick={feed.retry}>
          Retry
        </button>
      </div>
    );
  }
  if (feed.loading && empty) return <div className="pane-notice">Loading {symbol}…</div>;
  if (feed.liveError !== null) {
    return (
      <div className="pane-banner" role="status">
        {feed.liveError}
        <button type="button" onClick={feed.retry}>
          Resubscribe
        </button>
      </div>
    );
  }
  // Not "yet": a daily replay never has intraday bars, and a live feed's first bar ends the notice anyway.
  if (!feed.loading && empty) {
    return (
      <div className="pane-notice" data-testid="pane-no-bars">
        No {timeframe} bars for {symbol}
      </div>
    );
  }
  return null;
}

/**
 * The bottom line: link, feed, clock, throughput, freshness, store and speed. Values from a status
 * that may be out of date (link down) are dimmed, and the feed is not called live then: the line says
 * the link is down. A feed in trouble (an Alpaca error such as "authentication failed (402): ...",
 * reconnecting, stopped) gets the room to say so in full: figures that depend on it are dimmed and the
 * minor ones make way. A silent live feed turns its tick age amber, then red.
 */
import type { ReactNode } from 'react';
import type { EngineStatus, FeedState, Speed } from '../../shared/domain';
import type { ConnectionState } from '../../shared/rpc-client';
import type { ProtocolErrors } from '../engine/use-protocol-errors';
import { formatMarketClock } from '../time/exchange-time';
import { formatAge, formatBytes, formatRate } from './format';

/** Tick age above which a live feed is called stale, and above which it is called stalled. */
const STALE_TICK_MS = 5_000;
const STALLED_TICK_MS = 30_000;

type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'muted';

const CONNECTION_LABEL: Record<ConnectionState, { text: string; tone: Tone }> = {
  open: { text: 'Connected', tone: 'ok' },
  connecting: { text: 'Connecting…', tone: 'warn' },
  closed: { text: 'Disconnected', tone: 'bad' },
};

const FEED_TONE: Record<FeedState, Tone> = {
  starting: 'warn',
  backfilling: 'info',
  live: 'ok',
  paused: 'muted',
  closed: 'muted',
  reconnecting: 'warn',
  stopped: 'bad',
  error: 'bad',
};

/** Feed states in which the feed delivers nothing: its figures are not current. */
const FEED_DOWN: ReadonlySet<FeedState> = new Set(['reconnecting', 'stopped', 'error']);

export function feedIsDown(state: FeedState): boolean {
  return FEED_DOWN.has(state);
}

function tickAgeTone(status: EngineStatus): Tone {
  if (status.feed.state !== 'live' || status.lastTickAgeMs === null) return 'muted';
  if (status.lastTickAgeMs > STALLED_TICK_MS) return 'bad';
  return status.lastTickAgeMs > STALE_TICK_MS ? 'warn' : 'ok';
}

const formatSpeed = (speed: Speed): string => (speed === 'max' ? 'max' : `${speed}×`);

interface ItemProps {
  testId?: string;
  label: string;
  tone?: Tone;
  title?: string;
  /** Depends on the feed: dimmed while it is down. */
  feedDependent?: boolean;
  /** Makes way for a feed problem's message. */
  minor?: boolean;
  children: ReactNode;
}

function Item({ testId, label, tone, title, feedDependent, minor, children }: ItemProps) {
  const className = `status-item${feedDependent ? ' status-feed-dependent' : ''}${minor ? ' status-minor' : ''}`;
  return (
    <span className={className} data-testid={testId} data-tone={tone} title={title}>
      <span className="status-label">{label}</span>
      <span className="status-value">{children}</span>
    </span>
  );
}

interface StatusBarProps {
  connection: ConnectionState;
  status: EngineStatus | null;
  protocolErrors: ProtocolErrors;
}

export function StatusBar({ connection, status, protocolErrors }: StatusBarProps) {
  const link = CONNECTION_LABEL[connection];
  const stale = connection !== 'open';
  const feedDown = status !== null && feedIsDown(status.feed.state);
  const marketTime = status?.marketTime ?? null;
  const tickAge = status?.lastTickAgeMs ?? null;
  return (
    <footer
      className={`status-bar${stale ? ' status-stale' : ''}${feedDown ? ' status-feed-down' : ''}`}
      data-testid="status-bar"
      data-feed-down={feedDown ? 'true' : 'false'}
    >
      <span
        className="status-item"
        data-testid="status-connection"
        data-state={connection}
        data-tone={link.tone}
      >
        <span className="status-dot" />
        <span className="status-value">{link.text}</span>
      </span>
      <FeedItem status={status} linkDown={stale} />
      <Item testId="status-market-time" label="Market" feedDependent>
        {marketTime !== null ? formatMarketClock(marketTime) : '—'}
      </Item>
      <Item testId="status-bars-per-sec" label="Bars" feedDependent minor>
        {status ? formatRate(status.barsPerSecond) : '—'}
      </Item>
      <Item testId="status-trades-per-sec" label="Trades" feedDependent minor>
        {status ? formatRate(status.tradesPerSecond) : '—'}
      </Item>
      <Item
        testId="status-tick-age"
        label="Last tick"
        tone={status && !stale ? tickAgeTone(status) : 'muted'}
        feedDependent
      >
        {tickAge !== null ? formatAge(tickAge) : '—'}
      </Item>
      <Item testId="status-store-size" label="Store" title={status?.store.path} minor>
        {status ? formatBytes(status.store.bytes) : '—'}
      </Item>
      <Item testId="status-pending-writes" label="Pending" minor>
        {status ? status.store.pendingWrites.toLocaleString('en-US') : '—'}
      </Item>
      <Item testId="status-speed" label="Speed" minor>
        {status ? formatSpeed(status.speed) : '—'}
      </Item>
      <span className="status-spacer" />
      {protocolErrors.count > 0 ? (
        <Item
          testId="status-protocol-errors"
          label="Protocol errors"
          tone="warn"
          title={protocolErrors.last ?? ''}
        >
          {String(protocolErrors.count)}
        </Item>
      ) : null}
      <a
        className="status-credit"
        href="https://www.tradingview.com/"
        target="_blank"
        rel="noreferrer noopener"
      >
        Charts by TradingView
      </a>
    </footer>
  );
}

/**
 * The feed's source, state and message. With the link down the last state heard may be wrong, so it
 * is not shown as current: the item says the link is down instead.
 */
function FeedItem({ status, linkDown }: { status: EngineStatus | null; linkDown: boolean }) {
  if (linkDown) {
    return (
      <Item
        testId="status-feed"
        label="Feed"
        tone="bad"
        title="The feed's state is unknown while the link to the engine is down"
      >
        <span data-feed-state="unknown">unknown — link to the engine is down</span>
      </Item>
    );
  }
  if (status === null) {
    return (
      <Item testId="status-feed" label="Feed" tone="muted">
        —
      </Item>
    );
  }
  const { source, state, message } = status.feed;
  return (
    <span
      className={`status-item status-feed${feedIsDown(state) ? ' status-feed-problem' : ''}`}
      data-testid="status-feed"
      data-tone={FEED_TONE[state]}
      title={message !== null ? `${source} · ${state} — ${message}` : undefined}
    >
      <span className="status-label">Feed</span>
      <span className="status-value">
        {source} · <span data-feed-state={state}>{state}</span>
        {message !== null ? <span className="status-message"> — {message}</span> : null}
      </span>
    </span>
  );
}

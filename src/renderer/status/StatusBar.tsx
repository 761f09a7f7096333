/**
 * The bottom line: link, feed, clock, throughput, freshness, store and speed. Values from a status
 * that may be out of date (link down) are dimmed; a silent live feed turns its tick age amber, then red.
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
  children: ReactNode;
}

function Item({ testId, label, tone, title, children }: ItemProps) {
  return (
    <span className="status-item" data-testid={testId} data-tone={tone} title={title}>
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
  const marketTime = status?.marketTime ?? null;
  const tickAge = status?.lastTickAgeMs ?? null;
  return (
    <footer className={`status-bar${stale ? ' status-stale' : ''}`} data-testid="status-bar">
      <span
        className="status-item"
        data-testid="status-connection"
        data-state={connection}
        data-tone={link.tone}
      >
        <span className="status-dot" />
        <span className="status-value">{link.text}</span>
      </span>
      <Item
        testId="status-feed"
        label="Feed"
        tone={status ? FEED_TONE[status.feed.state] : 'muted'}
        title={status?.feed.message ?? undefined}
      >
        {status ? (
          <>
            {status.feed.source} · <span data-feed-state={status.feed.state}>{status.feed.state}</span>
            {status.feed.message !== null ? (
              <span className="status-message"> — {status.feed.message}</span>
            ) : null}
          </>
        ) : (
          '—'
        )}
      </Item>
      <Item testId="status-market-time" label="Market">
        {marketTime !== null ? formatMarketClock(marketTime) : '—'}
      </Item>
      <Item testId="status-bars-per-sec" label="Bars">
        {status ? formatRate(status.barsPerSecond) : '—'}
      </Item>
      <Item testId="status-trades-per-sec" label="Trades">
        {status ? formatRate(status.tradesPerSecond) : '—'}
      </Item>
      <Item testId="status-tick-age" label="Last tick" tone={status ? tickAgeTone(status) : 'muted'}>
        {tickAge !== null ? formatAge(tickAge) : '—'}
      </Item>
      <Item testId="status-store-size" label="Store" title={status?.store.path}>
        {status ? formatBytes(status.store.bytes) : '—'}
      </Item>
      <Item testId="status-pending-writes" label="Pending">
        {status ? status.store.pendingWrites.toLocaleString('en-US') : '—'}
      </Item>
      <Item testId="status-speed" label="Speed">
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

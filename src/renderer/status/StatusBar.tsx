/**
 * The bottom line: the link to the engine ("Engine: connected"), the feed (which, with its own dot,
 * alone tells whether market data, Alpaca's say, arrives), clock, throughput, freshness, store,
 * speed, the strategy model (version and provider, or "no model") and the sentiment model ("sentiment
 * <version> · CPU", or "no sentiment: <reason>"); every item's tooltip says what
 * it shows or counts (status-items.ts). Values from a status that may be out of date (link down) are
 * dimmed, rates and the tick age read "—" (status-figures.ts), and the feed is not called live then:
 * the line says the link is down. A feed in trouble (an
 * Alpaca error such as "Alpaca refused the API keys (402 auth failed)...", reconnecting, stopped) gets
 * the room to say so in full: what depends on it is dimmed, the minor figures make way, and a message
 * too long for one line wraps onto a second rather than being cut. A silent live feed turns its tick
 * age amber, then red.
 */
import type { ReactNode } from 'react';
import type { EngineStatus, NewsStatus, Speed } from '../../shared/domain';
import type { ConnectionState } from '../../shared/rpc-client';
import type { ProtocolErrors } from '../engine/use-protocol-errors';
import { sentimentModelLine } from '../news/news-format';
import { formatMarketClock } from '../time/exchange-time';
import { describeFeed, type Tone } from './feed-line';
import { formatBytes } from './format';
import { statusFigures } from './status-figures';
import {
  LINK_LABEL,
  STATUS_TITLES,
  feedTitle,
  modelItem,
  protocolErrorsTitle,
  storeTitle,
} from './status-items';

export { feedIsDown } from './feed-line';

const formatSpeed = (speed: Speed): string => (speed === 'max' ? 'max' : `${speed}×`);

interface ItemProps {
  testId?: string;
  label: string;
  tone?: Tone;
  /** What the item shows or counts. */
  title: string;
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
  /** Why no strategy model runs (`signals.model`'s message), for the model item's tooltip. */
  modelReason?: string | null;
  /** The state of news (`news.status`), for the sentiment model item; null while unknown. */
  news?: NewsStatus | null;
}

export function StatusBar({
  connection,
  status,
  protocolErrors,
  modelReason = null,
  news = null,
}: StatusBarProps) {
  const link = LINK_LABEL[connection];
  const stale = connection !== 'open';
  const feed = describeFeed(status, stale);
  const marketTime = status?.marketTime ?? null;
  const figures = statusFigures(status, stale);
  const model = status ? modelItem(status.model, modelReason) : null;
  const sentiment = news !== null ? sentimentModelLine(news.sentiment, news.sentimentMessage) : null;
  return (
    <footer
      className={`status-bar${stale ? ' status-stale' : ''}${feed.down ? ' status-feed-down' : ''}`}
      data-testid="status-bar"
      data-feed-down={feed.down ? 'true' : 'false'}
    >
      <span
        className="status-item"
        data-testid="status-connection"
        data-state={connection}
        data-tone={link.tone}
        title={STATUS_TITLES.link}
      >
        <span className="status-dot" />
        <span className="status-value">{link.text}</span>
      </span>
      <span
        className="status-item status-feed"
        data-testid="status-feed"
        data-tone={feed.tone}
        title={feedTitle(feed)}
      >
        <span className="status-dot" />
        <span className="status-label">Feed</span>
        <span className="status-value">
          {feed.source !== null ? `${feed.source} · ` : null}
          <span data-feed-state={feed.state}>{feed.state === 'unknown' && !stale ? '—' : feed.state}</span>
          {feed.message !== null ? <span className="status-message"> — {feed.message}</span> : null}
        </span>
      </span>
      <Item testId="status-market-time" label="Market" title={STATUS_TITLES.market} feedDependent>
        {marketTime !== null ? formatMarketClock(marketTime) : '—'}
      </Item>
      <Item testId="status-bars-per-sec" label="Bars" title={STATUS_TITLES.bars} feedDependent minor>
        {figures.barsPerSecond}
      </Item>
      <Item testId="status-trades-per-sec" label="Trades" title={STATUS_TITLES.trades} feedDependent minor>
        {figures.tradesPerSecond}
      </Item>
      <Item
        testId="status-tick-age"
        label="Last tick"
        title={STATUS_TITLES.tickAge}
        tone={figures.tickAgeTone}
        feedDependent
      >
        {figures.tickAge}
      </Item>
      <Item testId="status-store-size" label="Store" title={storeTitle(status?.store.path ?? null)} minor>
        {status ? formatBytes(status.store.bytes) : '—'}
      </Item>
      <Item testId="status-pending-writes" label="Pending" title={STATUS_TITLES.pending} minor>
        {status ? status.store.pendingWrites.toLocaleString('en-US') : '—'}
      </Item>
      <Item testId="status-speed" label="Speed" title={STATUS_TITLES.speed} minor>
        {status ? formatSpeed(status.speed) : '—'}
      </Item>
      <Item
        testId="status-model"
        label="Model"
        tone={model?.tone}
        title={model?.title ?? 'The TRM strategy model and its inference provider'}
      >
        {model?.text ?? '—'}
      </Item>
      {sentiment !== null ? (
        <span
          className="status-item status-sentiment"
          data-testid="status-sentiment"
          data-tone={sentiment.ok ? 'ok' : 'muted'}
          title={sentiment.title}
        >
          <span className="status-value">{sentiment.text}</span>
        </span>
      ) : null}
      <span className="status-spacer" />
      {protocolErrors.count > 0 ? (
        <Item
          testId="status-protocol-errors"
          label="Protocol errors"
          tone="warn"
          title={protocolErrorsTitle(protocolErrors.last)}
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

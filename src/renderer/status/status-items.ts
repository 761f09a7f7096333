/**
 * The status bar's words: what the first item (the link between this window and the engine) says in
 * each state, and the tooltip of every item, saying what it shows or counts. The link item names the
 * engine so that a green dot there is never read as the market-data feed (Alpaca...) being connected:
 * the feed item, with its own dot, says that.
 */
import type { EngineStatus } from '../../shared/domain';
import type { ConnectionState } from '../../shared/rpc-client';
import type { FeedLine, Tone } from './feed-line';

export const LINK_LABEL: Record<ConnectionState, { text: string; tone: Tone }> = {
  open: { text: 'Engine: connected', tone: 'ok' },
  connecting: { text: 'Engine: connecting…', tone: 'warn' },
  closed: { text: 'Engine: disconnected', tone: 'bad' },
};

/** Tooltips of the items whose meaning does not change. */
export const STATUS_TITLES = {
  link: 'The link between this window and the TRM engine. It says nothing about market data: the Feed item does.',
  market:
    "Market time: the feed's clock in New York time (simulated in demo and replay, the exchange's when live)",
  bars: 'Bars the feed closed per second of wall time, over the last few seconds (1-minute bars; daily bars in a daily replay)',
  trades: 'Trades received per second of wall time, over the last few seconds',
  tickAge: 'Time since the last trade arrived from the feed',
  pending: 'Bars waiting to be written to the store (queued for the next write batch)',
  speed: 'Market seconds per wall-clock second (1× is real time)',
} as const;

/** The store's tooltip: what the size counts, and where the database is. */
export const storeTitle = (path: string | null): string =>
  `Size of the market-data store on disk (database plus write-ahead log)${path ? `: ${path}` : ''}`;

/** The protocol-error counter's tooltip, with the latest error. */
export const protocolErrorsTitle = (last: string | null): string =>
  `Messages from the engine that failed validation and were dropped${last ? `; the latest: ${last}` : ''}`;

/** The feed item's tooltip: which feed, its state and its message in full (the bar may cut it). */
export function feedTitle(feed: FeedLine): string {
  const what = `Market-data feed${feed.source !== null ? ` (${feed.source})` : ''}`;
  const state = feed.state === 'unknown' ? 'state unknown' : feed.state;
  return `${what}: ${state}${feed.message !== null ? ` — ${feed.message}` : ''}`;
}

/**
 * The model item: which strategy model runs and on which ONNX Runtime provider ("trm-… · CPU"), or
 * "no model" with the engine's reason (`signals.model`'s message) in the tooltip.
 */
export function modelItem(
  model: EngineStatus['model'],
  reason: string | null,
): { text: string; title: string; tone: Tone } {
  if (model === null) {
    return {
      text: 'no model',
      // The engine's reason says it all ("No strategy model runs in this engine.", a load failure).
      title: reason ?? 'No strategy model runs',
      tone: 'muted',
    };
  }
  const provider = model.provider.toUpperCase();
  return {
    text: `${model.version} · ${provider}`,
    title: `The TRM strategy model ${model.version}, run by ONNX Runtime on the ${provider}`,
    tone: 'ok',
  };
}

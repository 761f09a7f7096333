/**
 * Live bars for the chart panes through ONE `market.barsUpdated` listen per symbol, however many panes
 * show it: panes subscribe by (symbol, timeframe) and the stream hands each its timeframe's bars.
 * The wire listen starts with the first subscriber of a symbol and stops with the last, so switching
 * the symbol swaps one listen for another.
 */
import type { EngineError } from '../../shared/protocol';
import type { Bar, Timeframe } from '../../shared/domain';
import type { EngineClient } from '../../shared/rpc-client';

export interface BarSubscriber {
  onBars(bars: readonly Bar[]): void;
  /**
   * `fatal`: the engine refused the listen, so no more bars will come until the pane subscribes again.
   * Otherwise one payload failed validation and was dropped; the stream goes on.
   */
  onError(error: EngineError, fatal: boolean): void;
}

export interface BarStream {
  /** Subscribe to one timeframe of one symbol; returns the unsubscribe function. */
  subscribe(symbol: string, timeframe: Timeframe, subscriber: BarSubscriber): () => void;
  /** Wire listens currently open (for tests and diagnostics). */
  readonly listenCount: number;
}

interface SymbolChannel {
  unlisten: () => void;
  byTimeframe: Map<Timeframe, Set<BarSubscriber>>;
  size: number;
}

function createBarStream(client: EngineClient): BarStream {
  const channels = new Map<string, SymbolChannel>();

  const dispatch = (channel: SymbolChannel, symbol: string, bars: readonly Bar[]): void => {
    const grouped = new Map<Timeframe, Bar[]>();
    for (const bar of bars) {
      if (bar.symbol !== symbol || !channel.byTimeframe.has(bar.timeframe)) continue;
      const group = grouped.get(bar.timeframe);
      if (group) group.push(bar);
      else grouped.set(bar.timeframe, [bar]);
    }
    for (const [timeframe, group] of grouped) {
      for (const subscriber of channel.byTimeframe.get(timeframe) ?? []) subscriber.onBars(group);
    }
  };

  const open = (symbol: string): SymbolChannel => {
    const channel: SymbolChannel = { unlisten: () => {}, byTimeframe: new Map(), size: 0 };
    channel.unlisten = client.listen(
      'market.barsUpdated',
      { symbols: [symbol] },
      ({ bars }) => dispatch(channel, symbol, bars),
      (error) => {
        // The client drops a refused listen but keeps one whose payload failed validation (BAD_RESULT).
        const fatal = error.code !== 'BAD_RESULT';
        if (fatal && channels.get(symbol) === channel) channels.delete(symbol);
        for (const subscribers of channel.byTimeframe.values()) {
          for (const subscriber of subscribers) subscriber.onError(error, fatal);
        }
      },
    );
    channels.set(symbol, channel);
    return channel;
  };

  return {
    subscribe(symbol, timeframe, subscriber) {
      const channel = channels.get(symbol) ?? open(symbol);
      let subscribers = channel.byTimeframe.get(timeframe);
      if (!subscribers) {
        subscribers = new Set();
        channel.byTimeframe.set(timeframe, subscribers);
      }
      subscribers.add(subscriber);
      channel.size += 1;
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        subscribers.delete(subscriber);
        if (subscribers.size === 0) channel.byTimeframe.delete(timeframe);
        channel.size -= 1;
        if (channel.size === 0) {
          if (channels.get(symbol) === channel) channels.delete(symbol);
          channel.unlisten();
        }
      };
    },
    get listenCount() {
      return channels.size;
    },
  };
}

// One stream per client, so every pane of the page shares it without a provider.
const streams = new WeakMap<EngineClient, BarStream>();

export function barStreamFor(client: EngineClient): BarStream {
  let stream = streams.get(client);
  if (!stream) {
    stream = createBarStream(client);
    streams.set(client, stream);
  }
  return stream;
}

/**
 * Alpaca's news stream (`wss://stream.data.alpaca.markets/v1beta1/news`), kept alive by the same
 * connection life as the stock stream (stream.ts: ping/pong, handshake deadline, full-jitter backoff,
 * 401/402/409 halt until new keys, 406 waits minutes). The protocol is the market-data one
 * (docs.alpaca.markets, "Real-time News"): auth, then `{"action":"subscribe","news":["*"]}` (all news)
 * or a list of symbols; articles arrive as frames `T: "n"`. The SDK's `NewsStream` speaks it (msgpack,
 * like the stock stream).
 *
 * No data-silence watchdog here: news is often quiet for many minutes while the connection is healthy
 * (nights, weekends, a calm afternoon), so "no data for N s" proves nothing and would tear down a good
 * socket. Liveness rests on ping/pong alone: a ping unanswered within `pongWaitMs` ends the connection.
 */
import type { AlpacaKeys } from '../../../shared/domain';
import type { Timers } from '../../platform/clock';
import type { Logger } from '../../platform/log';
import { AlpacaStockStream, type StreamEvent, type StreamTuning } from './stream';

/** The stock stream's tuning, less the silence watchdog (see above). */
export const NEWS_STREAM_TUNING: Partial<StreamTuning> = { silenceMs: 0 };

export interface AlpacaNewsStreamOptions {
  /** The news stream's URL (AlpacaConfig.newsStreamUrl). */
  url: string;
  keys: AlpacaKeys;
  timers: Timers;
  /** Uniform [0, 1) for the backoff jitter. */
  random: () => number;
  log: Logger;
  /** Symbols to subscribe; ['*'] for all news. */
  symbols: readonly string[];
  listener: {
    status(event: StreamEvent): void;
    /** An article as the SDK mapped it, unvalidated (news-mapper.ts validates it). */
    news(payload: unknown): void;
  };
  tuning?: Partial<StreamTuning>;
}

export class AlpacaNewsStream {
  private readonly stream: AlpacaStockStream;

  constructor(options: AlpacaNewsStreamOptions) {
    this.stream = new AlpacaStockStream({
      url: options.url,
      endpoint: 'news',
      keys: options.keys,
      timers: options.timers,
      random: options.random,
      log: options.log,
      listener: {
        status: (event) => options.listener.status(event),
        news: (payload) => options.listener.news(payload),
      },
      // Never consulted: silenceMs is 0 unless a caller turns the watchdog on deliberately.
      isSessionOpen: () => true,
      tuning: { ...NEWS_STREAM_TUNING, ...options.tuning },
    });
    this.setSymbols(options.symbols);
  }

  start(): void {
    this.stream.start();
  }

  /** Closes the connection and cancels every timer; nothing reaches the listener afterwards. */
  stop(): void {
    this.stream.stop();
  }

  /** The symbols to keep subscribed (['*']: all news); applied now when connected, and on every reconnect. */
  setSymbols(symbols: readonly string[]): void {
    this.stream.setChannels({ bars: [], trades: [], quotes: [], news: [...symbols] });
  }

  /** New keys: used from the next connection on; a stream halted on refused keys reconnects now. */
  setKeys(keys: AlpacaKeys): void {
    this.stream.setKeys(keys);
  }
}

/**
 * Where the Alpaca feed connects and what it asks for, resolved once from (highest first) command-line
 * flags, the environment, settings.json, and Alpaca's own hosts.
 *
 * Environment: TRM_ALPACA_DATA_URL (market-data REST), TRM_ALPACA_STREAM_URL (base of the market-data
 * and news streams: `/v2/<feed>` and `/v1beta1/news` are appended), TRM_ALPACA_TRADING_URL (trading
 * REST; its trade_updates stream is the same host at `/stream`). Loopback test servers and proxies are
 * reached this way: we build the SDK's API classes with `Configuration({ basePath })` and its stream
 * classes with `url`, never the top-level `Alpaca` client, whose REST hosts are fixed.
 */
import { SymbolSchema } from '../../../shared/domain';
import { DEFAULT_UNIVERSE } from '../../core/synthetic/universe';
import { AlpacaFeedNameSchema, type AlpacaFeedName, type AlpacaSettings } from '../../platform/app-settings';

export const ALPACA_HOSTS = {
  data: 'https://data.alpaca.markets',
  stream: 'wss://stream.data.alpaca.markets',
  paperTrading: 'https://paper-api.alpaca.markets',
  liveTrading: 'https://api.alpaca.markets',
} as const;

/** The symbols paper and live modes follow when none are chosen: the demo market's real tickers. */
export const DEFAULT_ALPACA_SYMBOLS: readonly string[] = DEFAULT_UNIVERSE.map((spec) => spec.symbol);

/** `delayed_sip` streams the consolidated tape 15 minutes late (Alpaca's free SIP feed). */
const DELAYED_SIP_MS = 15 * 60_000;

export type AlpacaEnvironment = 'paper' | 'live';

export interface AlpacaConfig {
  environment: AlpacaEnvironment;
  feed: AlpacaFeedName;
  /** Market-data REST base, no trailing slash. */
  dataUrl: string;
  /** The stock stream: `<stream base>/v2/<feed>`. */
  stockStreamUrl: string;
  /** The news stream: `<stream base>/v1beta1/news`. */
  newsStreamUrl: string;
  /** Trading REST base (paper or live host by default). */
  tradingUrl: string;
  /** The trading host's trade_updates stream: same host, ws(s) scheme, `/stream`. */
  tradingStreamUrl: string;
  /** The historical feed that matches the stream (`delayed_sip` is a stream-only name: its REST is `sip`). */
  restFeed: 'iex' | 'sip';
  /** How far the stream runs behind the exchange, in ms (15 minutes for delayed_sip, else 0). */
  delayMs: number;
  symbols: string[];
}

/** Flags a command was given (undefined: not given). */
export interface AlpacaFlags {
  feed?: string;
  symbols?: readonly string[];
}

export class AlpacaConfigError extends Error {
  override readonly name = 'AlpacaConfigError';
}

function baseUrl(name: string, text: string, schemes: readonly string[], example: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new AlpacaConfigError(`${name} must be a URL such as ${example}, not "${text}"`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new AlpacaConfigError(
      `${name} must start with ${schemes.map((s) => `${s}//`).join(' or ')} (such as ${example}), not "${text}"`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** Upper-cased, de-duplicated, validated symbols; throws AlpacaConfigError naming a bad one. */
export function parseSymbols(given: readonly string[], where: string): string[] {
  const out: string[] = [];
  for (const raw of given) {
    const symbol = raw.trim().toUpperCase();
    if (symbol === '') continue;
    if (!SymbolSchema.safeParse(symbol).success) {
      throw new AlpacaConfigError(`${where}: "${raw}" is not a ticker symbol (such as SPY or BRK.B)`);
    }
    if (!out.includes(symbol)) out.push(symbol);
  }
  if (out.length === 0) throw new AlpacaConfigError(`${where}: give at least one symbol, such as SPY`);
  return out;
}

export interface ResolveAlpacaConfigOptions {
  environment: AlpacaEnvironment;
  env?: Readonly<Record<string, string | undefined>>;
  settings?: AlpacaSettings;
  flags?: AlpacaFlags;
}

/** Resolves the configuration; throws AlpacaConfigError with the offending variable or flag named. */
export function resolveAlpacaConfig(options: ResolveAlpacaConfigOptions): AlpacaConfig {
  const env = options.env ?? process.env;
  const settings = options.settings ?? {};
  const flags = options.flags ?? {};
  const pick = (variable: string, setting: string | undefined, fallback: string) => {
    const fromEnv = env[variable]?.trim();
    if (fromEnv) return { value: fromEnv, name: variable };
    if (setting) return { value: setting, name: `settings.json alpaca.${variable}` };
    return { value: fallback, name: variable };
  };

  let feed: AlpacaFeedName = settings.feed ?? 'iex';
  if (flags.feed !== undefined) {
    const parsed = AlpacaFeedNameSchema.safeParse(flags.feed);
    if (!parsed.success) {
      throw new AlpacaConfigError(
        `--feed must be iex (free), sip (paid, all exchanges) or delayed_sip (free, 15 minutes late), not "${flags.feed}"`,
      );
    }
    feed = parsed.data;
  }

  const data = pick('TRM_ALPACA_DATA_URL', settings.dataUrl, ALPACA_HOSTS.data);
  const stream = pick('TRM_ALPACA_STREAM_URL', settings.streamUrl, ALPACA_HOSTS.stream);
  const trading = pick(
    'TRM_ALPACA_TRADING_URL',
    settings.tradingUrl,
    options.environment === 'live' ? ALPACA_HOSTS.liveTrading : ALPACA_HOSTS.paperTrading,
  );
  const dataUrl = baseUrl(data.name, data.value, ['https:', 'http:'], ALPACA_HOSTS.data);
  const streamBase = baseUrl(stream.name, stream.value, ['wss:', 'ws:'], ALPACA_HOSTS.stream);
  const tradingUrl = baseUrl(trading.name, trading.value, ['https:', 'http:'], ALPACA_HOSTS.paperTrading);
  const tradingStream = new URL(tradingUrl);
  tradingStream.protocol = tradingStream.protocol === 'http:' ? 'ws:' : 'wss:';
  tradingStream.pathname = '/stream';

  const symbols = flags.symbols
    ? parseSymbols(flags.symbols, '--symbols')
    : settings.symbols
      ? parseSymbols(settings.symbols, 'settings.json alpaca.symbols')
      : [...DEFAULT_ALPACA_SYMBOLS];

  return {
    environment: options.environment,
    feed,
    dataUrl,
    stockStreamUrl: `${streamBase}/v2/${feed}`,
    newsStreamUrl: `${streamBase}/v1beta1/news`,
    tradingUrl,
    tradingStreamUrl: tradingStream.toString(),
    restFeed: feed === 'iex' ? 'iex' : 'sip',
    delayMs: feed === 'delayed_sip' ? DELAYED_SIP_MS : 0,
    symbols,
  };
}

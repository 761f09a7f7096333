import { describe, expect, it } from 'vitest';
import { AlpacaConfigError, DEFAULT_ALPACA_SYMBOLS, parseSymbols, resolveAlpacaConfig } from './config';

describe('Alpaca endpoints and choices', () => {
  it("default to Alpaca's own hosts: the paper trading host for paper, the live one for live", () => {
    const paper = resolveAlpacaConfig({ environment: 'paper', env: {} });
    expect(paper).toMatchObject({
      feed: 'iex',
      dataUrl: 'https://data.alpaca.markets',
      stockStreamUrl: 'wss://stream.data.alpaca.markets/v2/iex',
      newsStreamUrl: 'wss://stream.data.alpaca.markets/v1beta1/news',
      tradingUrl: 'https://paper-api.alpaca.markets',
      tradingStreamUrl: 'wss://paper-api.alpaca.markets/stream',
      restFeed: 'iex',
      delayMs: 0,
      symbols: DEFAULT_ALPACA_SYMBOLS,
    });
    const live = resolveAlpacaConfig({ environment: 'live', env: {} });
    expect(live.tradingUrl).toBe('https://api.alpaca.markets');
    expect(live.tradingStreamUrl).toBe('wss://api.alpaca.markets/stream');
  });

  it('take TRM_ALPACA_* from the environment over settings, and flags over both', () => {
    const config = resolveAlpacaConfig({
      environment: 'paper',
      env: {
        TRM_ALPACA_DATA_URL: 'http://127.0.0.1:9000/',
        TRM_ALPACA_STREAM_URL: 'ws://127.0.0.1:9001',
        TRM_ALPACA_TRADING_URL: 'http://127.0.0.1:9002',
      },
      settings: { dataUrl: 'https://proxy.example/data', feed: 'sip', symbols: ['TLT'] },
      flags: { feed: 'delayed_sip', symbols: ['spy', 'qqq', 'SPY'] },
    });
    expect(config).toMatchObject({
      feed: 'delayed_sip',
      dataUrl: 'http://127.0.0.1:9000',
      stockStreamUrl: 'ws://127.0.0.1:9001/v2/delayed_sip',
      tradingStreamUrl: 'ws://127.0.0.1:9002/stream',
      restFeed: 'sip',
      delayMs: 15 * 60_000,
      symbols: ['SPY', 'QQQ'],
    });
    const fromSettings = resolveAlpacaConfig({
      environment: 'paper',
      env: {},
      settings: { dataUrl: 'https://proxy.example/data', feed: 'sip', symbols: ['TLT'] },
    });
    expect(fromSettings).toMatchObject({
      dataUrl: 'https://proxy.example/data',
      feed: 'sip',
      symbols: ['TLT'],
    });
  });

  it('refuse a bad URL, feed or symbol, naming what to fix', () => {
    expect(() =>
      resolveAlpacaConfig({ environment: 'paper', env: { TRM_ALPACA_STREAM_URL: 'https://x' } }),
    ).toThrow(/TRM_ALPACA_STREAM_URL must start with wss:\/\/ or ws:\/\//);
    expect(() =>
      resolveAlpacaConfig({ environment: 'paper', env: { TRM_ALPACA_DATA_URL: 'not a url' } }),
    ).toThrow(AlpacaConfigError);
    expect(() => resolveAlpacaConfig({ environment: 'paper', env: {}, flags: { feed: 'otc' } })).toThrow(
      /--feed must be iex \(free\), sip .* not "otc"/,
    );
    expect(() => parseSymbols(['SPY', 'no way'], '--symbols')).toThrow(/"no way" is not a ticker symbol/);
    expect(() => parseSymbols([' ', ''], '--symbols')).toThrow(/give at least one symbol/);
  });
});

import { describe, expect, it } from 'vitest';
import { describeFeed } from './feed-line';
import {
  LINK_LABEL,
  STATUS_TITLES,
  feedTitle,
  modelItem,
  protocolErrorsTitle,
  storeTitle,
} from './status-items';

describe('the status bar’s words', () => {
  it('the first item names the engine in every state, so its dot is never read as the feed’s', () => {
    expect(LINK_LABEL.open.text).toBe('Engine: connected');
    for (const [state, label] of Object.entries(LINK_LABEL)) expect(label.text, state).toMatch(/^Engine: /);
    expect(STATUS_TITLES.link).toMatch(/between this window and the TRM engine/);
  });

  it('the feed’s tooltip gives its source, state and whole message', () => {
    const message = 'lost the connection to Alpaca (1006); retrying in 4 s';
    const line = describeFeed(
      {
        mode: 'paper',
        feed: { source: 'alpaca iex', state: 'reconnecting', message },
        marketTime: null,
        speed: 1,
        barsPerSecond: 0,
        tradesPerSecond: 0,
        lastTickAgeMs: null,
        store: { path: '/tmp/market.sqlite', bytes: 1, pendingWrites: 0 },
        symbols: 3,
        model: null,
        startedAt: 0,
      },
      false,
    );
    expect(feedTitle(line)).toBe(`Market-data feed (alpaca iex): reconnecting — ${message}`);
    expect(feedTitle(describeFeed(null, true))).toBe(
      'Market-data feed: state unknown — the link to the engine is down',
    );
  });

  it('every figure says what it counts', () => {
    expect(STATUS_TITLES.pending).toMatch(/^Bars waiting to be written to the store/);
    expect(storeTitle('/data/market.sqlite')).toMatch(/on disk .*: \/data\/market\.sqlite$/);
    expect(protocolErrorsTitle('BAD_EVENT: x')).toMatch(/failed validation.*BAD_EVENT: x$/);
    const titles = Object.values(STATUS_TITLES);
    expect(new Set(titles).size, 'no two items explained alike').toBe(titles.length);
  });

  it('the model item names the running model and its provider, or says there is none and why', () => {
    const running = modelItem({ version: 'trm-20250314-a1b2', provider: 'cpu' }, null);
    expect(running.text).toBe('trm-20250314-a1b2 · CPU');
    expect(running.title).toMatch(/trm-20250314-a1b2.*ONNX Runtime on the CPU/);
    expect(modelItem({ version: 'trm-x', provider: 'cuda' }, null).text).toBe('trm-x · CUDA');

    const none = modelItem(null, 'No strategy model runs in this engine.');
    expect(none.text).toBe('no model');
    expect(none.title).toBe('No strategy model runs in this engine.');
    expect(modelItem(null, null).title).toBe('No strategy model runs');
  });
});

import { describe, expect, it } from 'vitest';
import type { EngineStatus, FeedState } from '../../shared/domain';
import { statusFigures } from './status-figures';

const status = (state: FeedState, lastTickAgeMs: number | null = 1_200): EngineStatus => ({
  mode: 'demo',
  feed: { source: 'synthetic', state, message: null },
  marketTime: Date.UTC(2025, 2, 14, 14, 0),
  speed: 1,
  barsPerSecond: 3,
  tradesPerSecond: 412.4,
  lastTickAgeMs,
  store: { path: '/tmp/market.sqlite', bytes: 1, pendingWrites: 0 },
  symbols: 3,
  model: null,
  startedAt: 0,
});

describe('the feed figures in the status bar', () => {
  it('shows the rates and a fresh tick age while the link is up', () => {
    expect(statusFigures(status('live'), false)).toEqual({
      barsPerSecond: '3.0/s',
      tradesPerSecond: '412/s',
      tickAge: '1.2 s',
      tickAgeTone: 'ok',
    });
  });

  it('shows no rates and no tick age while the link to the engine is down', () => {
    expect(statusFigures(status('live'), true)).toEqual({
      barsPerSecond: '—',
      tradesPerSecond: '—',
      tickAge: '—',
      tickAgeTone: 'muted',
    });
  });

  it('restores them from the first status heard after the link is back', () => {
    const before = status('live', 900);
    expect(statusFigures(before, true).tradesPerSecond).toBe('—');
    const after = { ...before, tradesPerSecond: 88, lastTickAgeMs: 40 };
    expect(statusFigures(after, false)).toMatchObject({ tradesPerSecond: '88/s', tickAge: '40 ms' });
  });

  it('turns a silent live feed amber after 5 s and red after 30 s; other states stay muted', () => {
    expect(statusFigures(status('live', 6_000), false).tickAgeTone).toBe('warn');
    expect(statusFigures(status('live', 31_000), false).tickAgeTone).toBe('bad');
    expect(statusFigures(status('closed', 31_000), false).tickAgeTone).toBe('muted');
    expect(statusFigures(status('live', null), false)).toMatchObject({ tickAge: '—', tickAgeTone: 'muted' });
  });

  it('shows nothing before the engine first answers', () => {
    expect(statusFigures(null, false).barsPerSecond).toBe('—');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE, type Workspace } from '../../shared/domain';
import { openStore } from '../store/store';
import { spyMinutes, startReplay } from '../modes/test-fixtures/replay-run';
import { WORKSPACE_KEY, WorkspaceService } from './workspace-service';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-workspace-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const chosen: Workspace = {
  ...DEFAULT_WORKSPACE,
  symbol: 'QQQ',
  panes: [
    { timeframe: '15m', symbol: null, indicators: [{ id: 'a', kind: 'sma', period: 20 }] },
    { timeframe: '5m', symbol: 'SPY', indicators: [] },
    { timeframe: '4h', symbol: null, indicators: [{ id: 'b', kind: 'macd', fast: 12, slow: 26, signal: 9 }] },
    { timeframe: '1D', symbol: null, indicators: [] },
  ],
  watchlist: ['SPY', 'QQQ'],
  drawings: { QQQ: [{ id: 'h', kind: 'horizontal', price: 420.5 }] },
  theme: 'light',
  folded: { trading: true, news: false },
};

describe('WorkspaceService', () => {
  it('answers null until a workspace is kept, then the kept one, also after the database is reopened', () => {
    const path = join(dir, 'market.sqlite');
    const first = openStore(path, { onWarning: () => {} });
    const service = new WorkspaceService(first.settings);
    expect(service.handlers['workspace.get']({})).toBeNull();
    expect(service.handlers['workspace.set'](chosen)).toBeNull();
    expect(service.handlers['workspace.get']({})).toEqual(chosen);
    first.close();

    const reopened = openStore(path, { onWarning: () => {} });
    expect(new WorkspaceService(reopened.settings).get()).toEqual(chosen);
    reopened.close();
  });

  it('reads a kept value of another shape (an older version, a hand edit) as none, and reports it', () => {
    const warnings: string[] = [];
    const store = openStore(join(dir, 'market.sqlite'), { onWarning: (message) => warnings.push(message) });
    store.settings.set(WORKSPACE_KEY, { ...chosen, version: 0, panes: [] });
    expect(new WorkspaceService(store.settings).get()).toBeNull();
    expect(warnings.join('\n')).toContain('"workspace"');
    store.close();
  });

  it('reads a version 1 workspace (symbol, four timeframes, folded) as panes on the linked symbol', () => {
    const store = openStore(join(dir, 'market.sqlite'), { onWarning: () => {} });
    const v1 = { version: 1, symbol: 'QQQ', timeframes: ['15m', '5m', '4h', '1D'], folded: { news: true } };
    store.settings.set(WORKSPACE_KEY, v1);
    expect(new WorkspaceService(store.settings).get()).toEqual({
      ...DEFAULT_WORKSPACE,
      symbol: 'QQQ',
      panes: v1.timeframes.map((timeframe) => ({ timeframe, symbol: null, indicators: [] })),
      folded: { news: true },
    });
    store.close();
  });

  it('keeps whether the watchlist was ever set: a never-set one stays absent, an emptied one stays empty', () => {
    const path = join(dir, 'market.sqlite');
    const first = openStore(path, { onWarning: () => {} });
    const service = new WorkspaceService(first.settings);
    const { watchlist: _, ...neverSet } = chosen;
    service.set(neverSet);
    expect(service.get()).not.toHaveProperty('watchlist');
    service.set({ ...chosen, watchlist: [] });
    first.close();

    const reopened = openStore(path, { onWarning: () => {} });
    expect(new WorkspaceService(reopened.settings).get()?.watchlist).toEqual([]);
    // A version 1 workspace never had a watchlist: the window lists the feed's first symbols.
    reopened.settings.set(WORKSPACE_KEY, {
      version: 1,
      symbol: null,
      timeframes: ['1m', '5m', '1h', '1D'],
      folded: {},
    });
    expect(new WorkspaceService(reopened.settings).get()).not.toHaveProperty('watchlist');
    reopened.close();
  });

  it('refuses to keep a workspace that breaks the schema, keeping the one before', () => {
    const store = openStore(join(dir, 'market.sqlite'), { onWarning: () => {} });
    const service = new WorkspaceService(store.settings);
    service.set(chosen);
    const bad = {
      ...chosen,
      panes: chosen.panes.map((pane, i) => (i === 0 ? { ...pane, timeframe: '2m' } : pane)),
    } as unknown as Workspace;
    expect(() => service.set(bad)).toThrow();
    expect(service.get()).toEqual(chosen);
    store.close();
  });
});

describe('the workspace of a replay', () => {
  it('is kept in the market database the replay reads (its own store is scratch), so the next run has it', async () => {
    const db = join(dir, 'market.sqlite');
    const source = openStore(db, { onWarning: () => {} });
    source.bars.upsert(spyMinutes('2025-03-13'));
    source.close();
    const replay = async () => (await startReplay(db, '2025-03-13', Date.UTC(2026, 10, 30, 18))).engine;
    const first = await replay();
    await first.service.handlers['workspace.set'](chosen);
    first.stop();

    const market = openStore(db, { onWarning: () => {} });
    expect(new WorkspaceService(market.settings).get()).toEqual(chosen);
    market.close();
    const second = await replay();
    expect(await second.service.handlers['workspace.get']({})).toEqual(chosen);
    second.stop();
  });
});

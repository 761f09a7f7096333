import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedState } from '../../shared/domain';
import { createMemoryLogger } from '../platform/log';
import { AlpacaTestServer } from '../test-support/alpaca-server/server';
import { ModeError, createModeEngine } from '.';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-modes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const KEYS = { keyId: 'PKMODETEST000001', secret: 'modeSecret0123456789abcdefgh' };
const ENV = { APCA_API_KEY_ID: KEYS.keyId, APCA_API_SECRET_KEY: KEYS.secret };

/** A demo engine on the test folder's demo world, without keys (where a trader saves them). */
const demoEngine = () =>
  createModeEngine({
    mode: 'demo',
    db: join(dir, 'demo.sqlite'),
    dataDir: dir,
    env: {},
    log: createMemoryLogger(),
  });

describe('paper and live modes', () => {
  it('refuse to start without keys, saying how to give them and suggesting demo', () => {
    for (const mode of ['paper', 'live'] as const) {
      expect(() => createModeEngine({ mode, dataDir: dir, env: {}, log: createMemoryLogger() })).toThrow(
        ModeError,
      );
      expect(() => createModeEngine({ mode, dataDir: dir, env: {}, log: createMemoryLogger() })).toThrow(
        new RegExp(
          `^${mode} mode needs Alpaca API keys: set APCA_API_KEY_ID and APCA_API_SECRET_KEY .*--mode demo\\.$`,
        ),
      );
    }
  });

  it('live says in the log that it is live, and no line carries the keys', () => {
    const log = createMemoryLogger();
    const engine = createModeEngine({ mode: 'live', dataDir: dir, env: ENV, log });
    try {
      expect(engine.mode).toBe('live');
      expect(log.lines.join('\n')).toMatch(
        /WARN .*LIVE MODE: using the Alpaca LIVE account \(https:\/\/api\.alpaca\.markets/,
      );
      expect(engine.status().store.path).toBe(join(dir, 'market.sqlite'));
      for (const line of log.lines) {
        expect(line).not.toContain(KEYS.keyId);
        expect(line).not.toContain(KEYS.secret);
      }
    } finally {
      engine.stop();
    }
  });

  it('keep real market data apart from a demo world', () => {
    demoEngine().stop();
    const db = join(dir, 'demo.sqlite');
    expect(() =>
      createModeEngine({ mode: 'paper', db, dataDir: dir, env: ENV, log: createMemoryLogger() }),
    ).toThrow(/holds a generated demo world; real market data is kept apart/);
  });

  it('use keys saved in demo mode; contract replies never carry them', async () => {
    const demo = demoEngine();
    try {
      const saved = await demo.service.handlers['settings.saveKeys'](KEYS);
      const status = await demo.service.handlers['settings.keysStatus']({});
      for (const reply of [saved, status, demo.status()]) {
        const text = JSON.stringify(reply);
        expect(text).not.toContain(KEYS.secret);
        expect(text).not.toContain(KEYS.keyId);
      }
      expect(status).toMatchObject({ configured: true, source: 'saved', keyIdHint: 'PKMO…' });
    } finally {
      demo.stop();
    }
    const log = createMemoryLogger();
    const paper = createModeEngine({ mode: 'paper', dataDir: dir, env: {}, log });
    try {
      expect(log.lines.join('\n')).toMatch(/paper mode: Alpaca iex feed .*keys from saved settings/);
      expect(await paper.service.handlers['settings.keysStatus']({})).toMatchObject({
        configured: true,
        source: 'saved',
      });
    } finally {
      paper.stop();
    }
  });

  it('a feed stopped on refused keys reconnects when the trader saves new ones', async () => {
    const server = await AlpacaTestServer.start({ keys: KEYS, horizon: 'wall' });
    const { APCA_API_KEY_ID: _id, APCA_API_SECRET_KEY: _secret, ...endpoints } = server.env();
    const demo = demoEngine();
    await demo.service.handlers['settings.saveKeys']({
      keyId: 'PKOLDKEY00000001',
      secret: 'oldSecret0123456789abcdefgh',
    });
    demo.stop();
    const paper = createModeEngine({
      mode: 'paper',
      dataDir: dir,
      env: endpoints,
      log: createMemoryLogger(),
    });
    const states: FeedState[] = [];
    paper.bus.subscribe('market.feedState', ({ state }) => states.push(state));
    const reach = async (...wanted: FeedState[]) => {
      for (let i = 0; i < 2000 && !wanted.includes(states.at(-1)!); i++)
        await new Promise((r) => setTimeout(r, 5));
      expect(wanted).toContain(states.at(-1));
    };
    try {
      paper.start();
      await reach('error');
      expect(paper.status().feed.message).toMatch(/refused the API keys \(402/);
      await paper.service.handlers['settings.saveKeys'](KEYS);
      // Live while the market is open, closed otherwise: connected and caught up either way.
      await reach('live', 'closed');
      // The market stream (the news stream connects beside it, on its own endpoint).
      expect(server.connectionsByEndpoint.get('iex')).toBe(2);
    } finally {
      paper.stop();
      await server.close();
    }
  });
});

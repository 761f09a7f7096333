/**
 * How the CLI finds and reaches a running workstation, and `trm kill-switch` through it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleTradingStatus } from '../../shared/test-support/sample-trading';
import { runtimeFilePath, type RuntimeInfo } from '../platform/runtime-file';
import { runCaptured } from '../test-support/captured-cli';
import { contractService } from '../test-support/contract-service';
import { connectWorkstation, findWorkstation, LinkError } from './engine-link';
import { main } from './index';
import { serveWorkstation, type RunningWorkstation } from './test-fixtures/running-workstation';

let dir: string;
const running: RunningWorkstation[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-link-'));
});
afterEach(async () => {
  process.exitCode = undefined;
  for (const w of running.splice(0)) await w.stop();
  rmSync(dir, { recursive: true, force: true });
});

const status = sampleTradingStatus;

async function serve(db: string, mode = 'demo', asked: unknown[] = []): Promise<RunningWorkstation> {
  const w = await serveWorkstation(
    contractService({
      'trading.status': () => status(),
      'trading.killSwitch': (params) => {
        asked.push(params);
        return params.on
          ? status({ tradingState: 'halted', stateReason: 'kill switch' })
          : status({ tradingState: 'active' });
      },
    }),
    db,
    mode,
  );
  running.push(w);
  return w;
}

describe('findWorkstation', () => {
  it('finds the one running beside --db, or beside the default databases', async () => {
    expect(findWorkstation({ dataDir: dir })).toEqual({
      kind: 'none',
      databases: [join(dir, 'demo.sqlite'), join(dir, 'market.sqlite')],
    });
    const replay = await serve(join(dir, 'market.sqlite'), 'replay');
    expect(findWorkstation({ dataDir: dir })).toMatchObject({ kind: 'running', info: { mode: 'replay' } });
    expect(findWorkstation({ db: join(dir, 'market.sqlite') })).toMatchObject({
      kind: 'running',
      runtimeFile: replay.runtime.path,
    });
    expect(findWorkstation({ db: join(dir, 'elsewhere.sqlite') }).kind).toBe('none');
  });

  it('asks for --db when several are running, naming each', async () => {
    await serve(join(dir, 'demo.sqlite'), 'demo');
    await serve(join(dir, 'market.sqlite'), 'paper');
    expect(() => findWorkstation({ dataDir: dir })).toThrow(
      new LinkError(
        `several workstations are running:\n  demo (pid ${process.pid}) on ${join(dir, 'demo.sqlite')}\n` +
          `  paper (pid ${process.pid}) on ${join(dir, 'market.sqlite')}\nchoose one with --db PATH`,
      ),
    );
  });

  it('ignores and removes the runtime file of a workstation that died', () => {
    const db = join(dir, 'demo.sqlite');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const info: RuntimeInfo = {
      pid: dead,
      url: 'ws://127.0.0.1:9/ws',
      token: 't',
      mode: 'demo',
      db,
      startedAt: 0,
    };
    writeFileSync(runtimeFilePath(db), JSON.stringify(info), { mode: 0o600 });
    expect(findWorkstation({ db }).kind).toBe('none');
  });
});

describe('connectWorkstation', () => {
  it('talks to the workstation with its token, and says so when the token is refused', async () => {
    const w = await serve(join(dir, 'demo.sqlite'));
    const link = await connectWorkstation(w.runtime.info);
    try {
      expect(await link.client.call('trading.status', {})).toEqual(status());
    } finally {
      link.close();
    }
    await expect(connectWorkstation({ ...w.runtime.info, token: 'wrong' })).rejects.toThrow(
      /does not answer at ws:\/\/127\.0\.0\.1:\d+\/ws: Unexpected server response: 403/,
    );
  });

  it('says the workstation does not answer when nothing listens at its address', async () => {
    const w = await serve(join(dir, 'demo.sqlite'));
    const info = w.runtime.info;
    await w.server.close();
    await expect(connectWorkstation(info)).rejects.toThrow(/does not answer at .*ECONNREFUSED/);
    const out = await runCaptured(main, ['kill-switch', 'on', '--db', join(dir, 'demo.sqlite')]);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/^trm kill-switch: the workstation \(demo, pid \d+\) does not answer/);
  });

  it("serves no files when the server has no renderer (the Electron app's CLI socket)", async () => {
    const w = await serve(join(dir, 'demo.sqlite'));
    const response = await fetch(`http://127.0.0.1:${w.server.port}/index.html`);
    expect(response.status).toBe(404);
  });
});

describe('trm kill-switch', () => {
  it('switches on (with --flatten) and off, printing the trading state', async () => {
    const db = join(dir, 'demo.sqlite');
    const asked: unknown[] = [];
    await serve(db, 'demo', asked);
    const on = await runCaptured(main, ['kill-switch', 'on', '--flatten', '--db', db]);
    expect(on.exitCode ?? 0).toBe(0);
    expect(on.stdout).toBe(
      'Kill switch on: working orders cancelled, positions being closed at market, new orders refused.\n' +
        'Trading: halted (kill switch); Demo account\n',
    );
    const off = await runCaptured(main, ['kill-switch', 'off', '--db', db, '--json']);
    expect(JSON.parse(off.stdout)).toEqual(status());
    expect(asked).toEqual([
      { on: true, flatten: true },
      { on: false, flatten: false },
    ]);
  });

  it('refuses off --flatten (exit 2) and, with no workstation, exits 1 saying how to start one', async () => {
    const db = join(dir, 'demo.sqlite');
    const flatten = await runCaptured(main, ['kill-switch', 'off', '--flatten', '--db', db]);
    expect(flatten.exitCode).toBe(2);
    const none = await runCaptured(main, ['kill-switch', 'on', '--db', db]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toBe('trm kill-switch: no workstation is running (start it with npm start)\n');
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BASELINE_IDS } from '../../shared/domain';
import { nyseCalendar, type Session } from '../core/calendar';
import { randomMarketPanel } from '../test-support/panel-of';
import { runCaptured } from '../test-support/captured-cli';
import { main } from './index';

/** Runs `trm ...args` in-process; returns what it wrote and the exit code it set. */
const trm = (...args: string[]) => runCaptured(main, args);

afterEach(() => {
  process.exitCode = undefined;
});

/** A folder in the layout of ../shared/data/daily: `<ticker>.csv` per symbol, 700 NYSE sessions of random walks. */
const dir = mkdtempSync(join(tmpdir(), 'trm-train-cli-'));
const data = join(dir, 'daily');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
{
  const sessions: Session[] = [];
  for (let s = nyseCalendar.sessionOn('2017-01-03')!; sessions.length < 700; s = nyseCalendar.nextSession(s))
    sessions.push(s);
  const panel = randomMarketPanel(sessions.length, 3);
  mkdirSync(data);
  for (const symbol of panel.symbols) {
    const close = panel.close.get(symbol)!;
    const lines = ['Date,Open,High,Low,Close,Volume'];
    sessions.forEach((session, i) => {
      const c = close[i]!;
      lines.push(
        `${session.date},${c.toFixed(4)},${(c * 1.01).toFixed(4)},${(c * 0.99).toFixed(4)},${c.toFixed(4)},${symbol === 'VIX' ? 0 : 1_000_000 + i}`,
      );
    });
    writeFileSync(join(data, `${symbol.toLowerCase()}.csv`), `${lines.join('\n')}\n`);
  }
}

describe('trm train and trm backtest', () => {
  const out = join(dir, 'model');

  it('train writes a complete model folder; backtest --json prints the model next to every baseline', async () => {
    const trained = await trm(
      'train',
      '--data',
      data,
      '--out',
      out,
      '--no-evaluate',
      '--epochs',
      '1',
      '--widths',
      '8',
    );
    expect(trained.exitCode, trained.stderr).toBeUndefined();
    for (const file of ['model.onnx', 'manifest.json', 'evaluation.json', 'MODEL_CARD.md'])
      expect(existsSync(join(out, file)), file).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { version: string };
    expect(trained.stdout).toContain(`Model ${manifest.version} written to ${out}`);
    expect(readFileSync(join(out, 'MODEL_CARD.md'), 'utf8')).toContain('put_call_ratio');

    const html = join(dir, 'report.html');
    const run = await trm(
      'backtest',
      '--data',
      data,
      '--model',
      out,
      '--from',
      '2018-06-01',
      '--json',
      '--html',
      html,
    );
    expect(run.exitCode, run.stderr).toBeUndefined();
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    const fields = ['cagr', 'vol', 'sharpe', 'sortino', 'max_drawdown', 'turnover'];
    expect(Object.keys(report.model as object)).toEqual(expect.arrayContaining(fields));
    const baselines = report.baselines as Record<string, object>;
    expect(Object.keys(baselines).sort()).toEqual([...BASELINE_IDS].sort());
    for (const id of BASELINE_IDS)
      expect(Object.keys(baselines[id]!)).toEqual(expect.arrayContaining(fields));
    expect(report.classification).toBeTruthy();
    expect(report.equity, 'the curves are for the page, not the JSON').toBeUndefined();
    expect(readFileSync(html, 'utf8')).toContain('<svg');

    // The readable report says which days are in-sample.
    const text = await trm('backtest', '--data', data, '--model', out);
    expect(text.stdout).toMatch(/TRM model .*\n(.*\n){0,1}spy_buy_hold/);
    expect(text.stdout).toContain("inside the model's training window");
  }, 120_000);

  it('refuses a folder without SPY, and a model folder without a manifest, saying what to do', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const train = await trm('train', '--data', empty, '--out', join(dir, 'never'));
    expect(train.exitCode).toBe(2);
    expect(train.stderr).toMatch(/spy\.csv/i);
    const backtest = await trm('backtest', '--data', data, '--model', empty);
    expect(backtest.exitCode).toBe(2);
    expect(backtest.stderr).toContain('manifest.json');
    process.exitCode = undefined;
    const reversed = await trm(
      'backtest',
      '--data',
      data,
      '--model',
      empty,
      '--from',
      '2019-06-01',
      '--to',
      '2019-01-02',
    );
    expect(reversed.exitCode).toBe(2);
    expect(reversed.stderr).toContain('--from 2019-06-01 is after --to 2019-01-02');
    process.exitCode = undefined;
    const html = await trm(
      'backtest',
      '--data',
      data,
      '--model',
      empty,
      '--html',
      join(dir, 'no', 'such', 'r.html'),
    );
    expect(html.stderr).toMatch(/cannot write the report .* does not exist/);
  });
});

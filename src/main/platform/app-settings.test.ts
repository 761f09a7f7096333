import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAppSettings, writeAppSettings } from './app-settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings.json', () => {
  it('round-trips Alpaca settings and reads a missing file as no settings', () => {
    const problems: string[] = [];
    expect(readAppSettings(dir, (m) => problems.push(m))).toEqual({});
    writeAppSettings(dir, { alpaca: { feed: 'sip', symbols: ['SPY', 'TLT'] } });
    expect(readAppSettings(dir, (m) => problems.push(m))).toEqual({
      alpaca: { feed: 'sip', symbols: ['SPY', 'TLT'] },
    });
    expect(problems).toEqual([]);
  });

  it('keeps the mode the desktop app starts in, and refuses a mode that does not exist', () => {
    const problems: string[] = [];
    writeAppSettings(dir, { mode: 'replay' });
    expect(readAppSettings(dir, (m) => problems.push(m)).mode).toBe('replay');
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ mode: 'backtest' }));
    expect(readAppSettings(dir, (m) => problems.push(m)).mode).toBeUndefined();
    expect(problems[0]).toMatch(/mode: /);
  });

  it('ignores a hand-edited file of the wrong shape, saying what was wrong', () => {
    const problems: string[] = [];
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ alpaca: { feed: 'nasdaq' } }));
    expect(readAppSettings(dir, (m) => problems.push(m))).toEqual({});
    expect(problems[0]).toMatch(
      /settings\.json has settings of the wrong shape \(alpaca\.feed: .*\); using the defaults/,
    );
    writeFileSync(join(dir, 'settings.json'), '{ not json');
    expect(readAppSettings(dir, (m) => problems.push(m))).toEqual({});
    expect(problems[1]).toMatch(/is not valid JSON/);
  });
});

import { describe, expect, it } from 'vitest';
import type { Bar } from '../shared/domain';
import { BarFanout, MAX_BARS_PER_PAYLOAD } from './bar-fanout';
import type { Timers } from './clock';

function manualTimers() {
  const due: (() => void)[] = [];
  const timers: Timers = {
    now: () => 0,
    setTimeout: (fn) => {
      due.push(fn);
      return due.length;
    },
    clearTimeout: () => undefined,
    defer: (fn) => fn(),
  };
  return { timers, fire: () => due.splice(0).forEach((fn) => fn()), scheduled: () => due.length };
}

const bar = (symbol: string, start: number, close: number, timeframe: Bar['timeframe'] = '1m'): Bar => ({
  symbol,
  timeframe,
  start,
  open: 100,
  high: Math.max(100, close),
  low: Math.min(100, close),
  close,
  volume: 10,
  closed: false,
});

describe('BarFanout', () => {
  it('coalesces many updates of a forming bar into its latest state, one payload per interval', () => {
    const { timers, fire, scheduled } = manualTimers();
    const fanout = new BarFanout(timers, 50);
    const payloads: Bar[][] = [];
    fanout.subscribe(['SPY'], (p) => payloads.push(p.bars));
    for (let i = 1; i <= 40; i++) fanout.publish([bar('SPY', 0, 100 + i)]);
    expect(scheduled()).toBe(1);
    fire();
    expect(payloads).toEqual([[bar('SPY', 0, 140)]]);
  });

  it('sends each listener only its symbols, and bars of a timeframe in start order', () => {
    const { timers, fire } = manualTimers();
    const fanout = new BarFanout(timers);
    const spy: Bar[][] = [];
    const qqq: Bar[][] = [];
    fanout.subscribe(['SPY'], (p) => spy.push(p.bars));
    fanout.subscribe(['QQQ'], (p) => qqq.push(p.bars));
    fanout.publish([bar('SPY', 0, 101), bar('QQQ', 0, 99)]);
    fanout.publish([bar('SPY', 60_000, 102), bar('SPY', 0, 103)]);
    fire();
    expect(spy).toEqual([[bar('SPY', 0, 103), bar('SPY', 60_000, 102)]]);
    expect(qqq).toEqual([[bar('QQQ', 0, 99)]]);
  });

  it('splits very large bursts so one message stays small', () => {
    const { timers, fire } = manualTimers();
    const fanout = new BarFanout(timers);
    const sizes: number[] = [];
    fanout.subscribe(['SPY'], (p) => sizes.push(p.bars.length));
    fanout.publish(Array.from({ length: MAX_BARS_PER_PAYLOAD + 5 }, (_, i) => bar('SPY', i * 60_000, 101)));
    fire();
    expect(sizes).toEqual([MAX_BARS_PER_PAYLOAD, 5]);
  });

  it('stops delivering after unsubscribe and after dispose', () => {
    const { timers, fire } = manualTimers();
    const fanout = new BarFanout(timers);
    const got: Bar[][] = [];
    const off = fanout.subscribe(['SPY'], (p) => got.push(p.bars));
    off();
    fanout.publish([bar('SPY', 0, 101)]);
    fire();
    expect(got).toEqual([]);
    expect(fanout.listenerCount).toBe(0);
  });
});

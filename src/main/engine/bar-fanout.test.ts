import { describe, expect, it } from 'vitest';
import type { Bar } from '../../shared/domain';
import { BarFanout, MAX_BARS_PER_PAYLOAD } from './bar-fanout';
import { sampleBar } from '../../shared/test-support/sample-bar';
import { manualTimers } from '../test-support/manual-timers';

const bar = (symbol: string, start: number, close: number): Bar => sampleBar({ symbol, start, close });

describe('BarFanout', () => {
  it('coalesces many updates of a forming bar into its latest state, one payload per interval', () => {
    const timers = manualTimers();
    const fanout = new BarFanout(timers, 50);
    const payloads: Bar[][] = [];
    fanout.subscribe(['SPY'], (p) => payloads.push(p.bars));
    // A burst after a quiet spell goes out as one payload on the next turn of the event loop.
    for (let i = 1; i <= 40; i++) fanout.publish([bar('SPY', 0, 100 + i)]);
    expect(payloads).toEqual([]);
    timers.drain();
    expect(payloads).toEqual([[bar('SPY', 0, 140)]]);
    // Updates within the interval after a send wait for its end, and are coalesced too.
    timers.advance(10);
    for (let i = 41; i <= 60; i++) fanout.publish([bar('SPY', 0, 100 + i)]);
    timers.drain();
    expect(payloads).toHaveLength(1);
    expect(timers.pendingTimers).toBe(1);
    timers.advance(39);
    expect(payloads).toHaveLength(1);
    timers.advance(1);
    expect(payloads).toEqual([[bar('SPY', 0, 140)], [bar('SPY', 0, 160)]]);
    // After a quiet interval the next update goes out at once again.
    timers.advance(100);
    fanout.publish([bar('SPY', 0, 161)]);
    timers.drain();
    expect(payloads.at(-1)).toEqual([bar('SPY', 0, 161)]);
  });

  it('sends each listener only its symbols, and bars of a timeframe in start order', () => {
    const timers = manualTimers();
    const fanout = new BarFanout(timers);
    const spy: Bar[][] = [];
    const qqq: Bar[][] = [];
    fanout.subscribe(['SPY'], (p) => spy.push(p.bars));
    fanout.subscribe(['QQQ'], (p) => qqq.push(p.bars));
    fanout.publish([bar('SPY', 0, 101), bar('QQQ', 0, 99)]);
    fanout.publish([bar('SPY', 60_000, 102), bar('SPY', 0, 103)]);
    timers.advance(50);
    timers.drain();
    expect(spy).toEqual([[bar('SPY', 0, 103), bar('SPY', 60_000, 102)]]);
    expect(qqq).toEqual([[bar('QQQ', 0, 99)]]);
  });

  it('splits very large bursts so one message stays small', () => {
    const timers = manualTimers();
    const fanout = new BarFanout(timers);
    const sizes: number[] = [];
    fanout.subscribe(['SPY'], (p) => sizes.push(p.bars.length));
    fanout.publish(Array.from({ length: MAX_BARS_PER_PAYLOAD + 5 }, (_, i) => bar('SPY', i * 60_000, 101)));
    timers.advance(50);
    timers.drain();
    expect(sizes).toEqual([MAX_BARS_PER_PAYLOAD, 5]);
  });

  it('stops delivering after unsubscribe and after dispose', () => {
    const timers = manualTimers();
    const fanout = new BarFanout(timers);
    const got: Bar[][] = [];
    const off = fanout.subscribe(['SPY'], (p) => got.push(p.bars));
    off();
    fanout.publish([bar('SPY', 0, 101)]);
    timers.advance(50);
    timers.drain();
    expect(got).toEqual([]);
    expect(fanout.listenerCount).toBe(0);
  });
});

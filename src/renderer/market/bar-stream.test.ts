import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/api';
import type { Bar, Timeframe } from '../../shared/domain';
import { EngineError } from '../../shared/protocol';
import type { EngineClient } from '../../shared/rpc-client';
import { barStreamFor } from './bar-stream';
import { sampleBar } from '../../shared/test-support/sample-bar';

interface FakeListen {
  event: EventName;
  arg: unknown;
  onEvent: (payload: { bars: Bar[] }) => void;
  onError?: (error: EngineError) => void;
  active: boolean;
}

function fakeClient(): { client: EngineClient; listens: FakeListen[] } {
  const listens: FakeListen[] = [];
  const client = {
    listen: (
      event: EventName,
      arg: unknown,
      onEvent: FakeListen['onEvent'],
      onError?: FakeListen['onError'],
    ) => {
      const listen: FakeListen = { event, arg, onEvent, onError, active: true };
      listens.push(listen);
      return () => {
        listen.active = false;
      };
    },
  } as unknown as EngineClient;
  return { client, listens };
}

const bar = (symbol: string, timeframe: Timeframe, start: number): Bar =>
  sampleBar({ symbol, timeframe, start, open: 1, close: 1, volume: 0 });

function recorder() {
  const received: Bar[][] = [];
  const errors: [string, boolean][] = [];
  return {
    received,
    errors,
    subscriber: {
      onBars: (bars: readonly Bar[]) => received.push([...bars]),
      onError: (error: EngineError, fatal: boolean) => errors.push([error.code, fatal]),
    },
  };
}

describe('bar stream', () => {
  it('shares one wire listen per symbol and hands each pane its timeframe', () => {
    const { client, listens } = fakeClient();
    const stream = barStreamFor(client);
    const oneMinute = recorder();
    const daily = recorder();
    const offA = stream.subscribe('SPY', '1m', oneMinute.subscriber);
    const offB = stream.subscribe('SPY', '1D', daily.subscriber);
    expect(listens, 'one listen for two panes of the same symbol').toHaveLength(1);
    expect(listens[0]?.arg).toEqual({ symbols: ['SPY'] });

    listens[0]?.onEvent({ bars: [bar('SPY', '1m', 60_000), bar('SPY', '5m', 0), bar('SPY', '1D', 0)] });
    expect(oneMinute.received).toEqual([[bar('SPY', '1m', 60_000)]]);
    expect(daily.received).toEqual([[bar('SPY', '1D', 0)]]);

    offA();
    expect(listens[0]?.active, 'still one pane on SPY').toBe(true);
    offB();
    expect(listens[0]?.active, 'the last pane left').toBe(false);
    expect(stream.listenCount).toBe(0);
  });

  it('switching symbol swaps the listen', () => {
    const { client, listens } = fakeClient();
    const stream = barStreamFor(client);
    const pane = recorder();
    stream.subscribe('SPY', '1m', pane.subscriber)();
    stream.subscribe('TLT', '1m', pane.subscriber);
    expect(listens.map((l) => [l.arg, l.active])).toEqual([
      [{ symbols: ['SPY'] }, false],
      [{ symbols: ['TLT'] }, true],
    ]);
  });

  it('a refused listen is fatal and the next subscriber listens afresh; a bad payload is not', () => {
    const { client, listens } = fakeClient();
    const stream = barStreamFor(client);
    const pane = recorder();
    stream.subscribe('SPY', '1m', pane.subscriber);
    listens[0]?.onError?.(new EngineError('BAD_RESULT', 'bad bar'));
    listens[0]?.onError?.(new EngineError('LIMIT', 'too many listens'));
    expect(pane.errors).toEqual([
      ['BAD_RESULT', false],
      ['LIMIT', true],
    ]);
    stream.subscribe('SPY', '5m', recorder().subscriber);
    expect(listens, 'a new listen replaces the refused one').toHaveLength(2);
  });
});

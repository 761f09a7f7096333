import { describe, expect, it } from 'vitest';
import { TopicBus } from './bus';

interface Topics {
  a: number;
  b: string;
}

describe('TopicBus', () => {
  it('delivers each topic to its subscribers in subscription order, and stops after unsubscribe', () => {
    const bus = new TopicBus<Topics>(() => {});
    const seen: string[] = [];
    const stopFirst = bus.subscribe('a', (n) => seen.push(`first ${n}`));
    bus.subscribe('a', (n) => seen.push(`second ${n}`));
    bus.subscribe('b', (s) => seen.push(`b ${s}`));
    bus.publish('a', 1);
    stopFirst();
    bus.publish('a', 2);
    bus.publish('b', 'x');
    expect(seen).toEqual(['first 1', 'second 1', 'second 2', 'b x']);
  });

  it('keeps delivering to the others when one subscriber throws, and reports the error', () => {
    const errors: unknown[] = [];
    const bus = new TopicBus<Topics>((topic, error) => errors.push([topic, (error as Error).message]));
    const seen: number[] = [];
    bus.subscribe('a', () => {
      throw new Error('boom');
    });
    bus.subscribe('a', (n) => seen.push(n));
    bus.publish('a', 7);
    expect(seen).toEqual([7]);
    expect(errors).toEqual([['a', 'boom']]);
  });
});

import { describe, expect, it } from 'vitest';
import { nyseCalendar, type Session } from './calendar';
import { mixSeed, planDemoWorld, resumeMarket, type SavedWorld, type StoredWorld } from './demo-plan';
import { SyntheticMarket } from './synthetic/market';

const MINUTE = 60_000;
const base = { calendar: nyseCalendar, seed: 42, minuteSessions: 2, dailySessions: 5 };

describe('planDemoWorld', () => {
  it('starts a fresh world live at the current minute during market hours, with history before it', () => {
    const now = Date.UTC(2025, 2, 14, 14, 0, 30); // Fri 10:00:30 New York
    const plan = planDemoWorld({ ...base, now, stored: null });
    expect(plan.liveFrom).toBe(Date.UTC(2025, 2, 14, 14, 0));
    expect(plan.backfillFrom).toBe(nyseCalendar.sessionOn('2025-03-12')!.open); // two sessions back
    expect(plan.dailySessions.map((s) => s.date)).toEqual([
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
      '2025-03-10',
      '2025-03-11',
    ]);
    expect(plan.reset).toBe(false);
  });

  it('outside market hours replays the most recent session from its open', () => {
    const saturday = Date.UTC(2025, 2, 15, 17, 0);
    const plan = planDemoWorld({ ...base, now: saturday, stored: null });
    expect(plan.liveFrom).toBe(nyseCalendar.sessionOn('2025-03-14')!.open);
  });

  it('resumes a stored world of the same seed at the minute after its last one, with its prices', () => {
    const lastMinute = Date.UTC(2025, 2, 14, 15, 10);
    const stored = { seed: 42, lastMinute, lastCloses: { SPY: 501.5 } };
    const plan = planDemoWorld({ ...base, now: Date.UTC(2030, 0, 1), stored });
    expect(plan).toMatchObject({
      reset: false,
      backfillFrom: lastMinute + MINUTE,
      liveFrom: lastMinute + MINUTE,
      dailySessions: [],
    });
    expect(plan.initialPrices).toEqual({ SPY: 501.5 });
    // ...from that minute: the session it is in goes on without a second overnight gap.
    expect(plan.pricesAt).toBe(lastMinute);
  });

  it('resumes after a session close at the next open (over the weekend)', () => {
    const stored = { seed: 42, lastMinute: Date.UTC(2025, 2, 14, 19, 59), lastCloses: {} };
    const plan = planDemoWorld({ ...base, now: 0, stored });
    expect(plan.liveFrom).toBe(nyseCalendar.sessionOn('2025-03-17')!.open);
  });

  it('replaces a stored world of another seed, or on request', () => {
    const stored = { seed: 7, lastMinute: Date.UTC(2025, 2, 14, 15, 10), lastCloses: {} };
    const now = Date.UTC(2025, 2, 14, 14, 0);
    expect(planDemoWorld({ ...base, now, stored }).reset).toBe(true);
    expect(planDemoWorld({ ...base, now, stored: { ...stored, seed: 42 }, reset: true }).reset).toBe(true);
  });

  it('derives different generator seeds for different starts, the same for the same', () => {
    expect(mixSeed(42, 1_000 * MINUTE)).toBe(mixSeed(42, 1_000 * MINUTE));
    expect(mixSeed(42, 1_000 * MINUTE)).not.toBe(mixSeed(42, 1_001 * MINUTE));
    expect(mixSeed(42, 1_000 * MINUTE)).not.toBe(mixSeed(43, 1_000 * MINUTE));
  });

  it('resumes from the saved generator state when the stored bars reach its session', () => {
    const lastMinute = Date.UTC(2025, 2, 14, 15, 10);
    const saved = {
      state: new SyntheticMarket({ seed: 1 }).state(),
      from: Date.UTC(2025, 2, 14, 13, 30),
    };
    const stored: StoredWorld = { seed: 42, lastMinute, lastCloses: { SPY: 501.5 }, saved };
    expect(planDemoWorld({ ...base, now: 0, stored }).resume).toBe(saved);
    // A state saved for a later session than the bars reach (cannot happen: bars are written first) is
    // not used: the world continues from its prices.
    const ahead = { ...saved, from: nyseCalendar.sessionOn('2025-03-17')!.open };
    expect(planDemoWorld({ ...base, now: 0, stored: { ...stored, saved: ahead } }).resume).toBeNull();
  });

  it('regenerates a minute cut short whole, at once, and goes live after it', () => {
    const lastMinute = Date.UTC(2025, 2, 14, 15, 10);
    const stored = { seed: 42, lastMinute, lastCloses: {}, partialMinute: true };
    const plan = planDemoWorld({ ...base, now: 0, stored });
    expect(plan.backfillFrom).toBe(lastMinute + MINUTE);
    expect(plan.liveFrom).toBe(lastMinute + 2 * MINUTE);
    // The last minute of a session: the next one live is the next session's first.
    const friday = Date.UTC(2025, 2, 14, 19, 58);
    const atClose = planDemoWorld({ ...base, now: 0, stored: { ...stored, lastMinute: friday } });
    expect(atClose.backfillFrom).toBe(friday + MINUTE);
    expect(atClose.liveFrom).toBe(nyseCalendar.sessionOn('2025-03-17')!.open);
  });
});

describe('resumeMarket', () => {
  const seed = 77;
  const thursday = nyseCalendar.sessionOn('2025-03-13')!;
  const friday = nyseCalendar.sessionOn('2025-03-14')!;

  /** An uninterrupted world through Thursday and Friday morning; the states it saved, and its minutes. */
  function uninterrupted() {
    const market = new SyntheticMarket({ seed });
    const saved = new Map<number, SavedWorld>();
    market.onSessionStart = (state, s, minute) => saved.set(s.open, { state, from: minute });
    const closes = new Map<number, Record<string, number>>();
    const run = (s: Session, until: number) => {
      for (let t = s.open; t < until; t += MINUTE) {
        market.generateMinute(t, s, false);
        closes.set(t, market.prices());
      }
    };
    run(thursday, thursday.close);
    run(friday, friday.open + 100 * MINUTE);
    return { market, saved, closes };
  }

  it('regenerates the stored minutes silently and goes on as if the world had never stopped', () => {
    const world = uninterrupted();
    for (const [savedAt, last] of [
      [thursday.open, friday.open + 60 * MINUTE], // the state is more than a session behind the bars
      [friday.open, friday.open + 60 * MINUTE],
      [friday.open, thursday.close - MINUTE], // saved at the close, nothing stored since
    ] as const) {
      const stored: StoredWorld = {
        seed,
        lastMinute: last,
        lastCloses: world.closes.get(last)!,
        saved: world.saved.get(savedAt)!,
      };
      const plan = planDemoWorld({ ...base, seed, now: 0, stored });
      const { market, matched } = resumeMarket(plan, stored, nyseCalendar);
      expect(matched).toBe(true);
      expect(market.prices()).toEqual(world.closes.get(last));
      // The next minute is the one the uninterrupted world made.
      const reference = new SyntheticMarket({ seed });
      let expected: unknown = null;
      for (const s of [thursday, friday]) {
        for (let t = s.open; t < s.close && expected === null; t += MINUTE) {
          const out = reference.generateMinute(t, s, false);
          if (t === plan.backfillFrom) expected = out.bars;
        }
      }
      expect(market.generateMinute(plan.backfillFrom, friday, false).bars).toEqual(expected);
    }
  });

  it('continues from the stored prices when the regenerated ones differ (another generator version)', () => {
    const world = uninterrupted();
    const last = friday.open + 60 * MINUTE;
    const lastCloses = { ...world.closes.get(last)!, SPY: 123.45 };
    const stored: StoredWorld = { seed, lastMinute: last, lastCloses, saved: world.saved.get(friday.open)! };
    const { market, matched } = resumeMarket(
      planDemoWorld({ ...base, seed, now: 0, stored }),
      stored,
      nyseCalendar,
    );
    expect(matched).toBe(false);
    expect(market.prices()).toEqual(lastCloses);
    expect(market.generateMinute(last + MINUTE, friday, false).bars[0]!.open).toBe(123.45);
  });
});

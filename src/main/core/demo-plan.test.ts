import { describe, expect, it } from 'vitest';
import { nyseCalendar } from './calendar';
import { mixSeed, planDemoWorld } from './demo-plan';

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
});

/**
 * Paces a feed's market clock against the wall clock, shared by the synthetic and the replay feed.
 *
 * At a numeric speed, `speed` market seconds pass per wall second: every tick (`tickMs` of wall time)
 * the pacer works out the market time reached and asks the source to emit everything due by then.
 * Closed hours are skipped: when the clock stands where the market is closed, it jumps to the next open
 * (or to the source's next event, if that comes sooner), so there is always a market to watch. A source
 * that cannot keep up within `unitsPerTick` makes the clock fall behind rather than pile up work.
 *
 * At speed 'max' the source emits `unitsPerSlice` units per slice, and the pacer yields to the event
 * loop between slices (`timers.defer`), so requests, status pushes and writes keep flowing.
 *
 * The pacer owns no data: the source decides what a unit is (a minute, a group of bars), emits it, and
 * reports the market time of its next unit.
 */
import type { Speed } from '../../shared/domain';
import type { Timers } from '../platform/clock';

export interface PacedSource {
  /**
   * Emits everything due at or before market time `until` (epoch ms; Infinity at speed 'max'), at most
   * about `budget` units (a source may finish the unit in hand), and returns the market time of the next
   * unit not yet emitted, or null when it has nothing more (the pacer then stops and calls `onFinish`).
   */
  advance(until: number, budget: number): number | null;
}

export interface PacerOptions {
  timers: Timers;
  speed: Speed;
  /** The earliest instant at or after t (epoch ms) at which the market is open: t itself while open. */
  openAt: (t: number) => number;
  /** Wall milliseconds between ticks at a numeric speed. Default 25. */
  tickMs?: number;
  /** Units a tick may emit at most at a numeric speed. Default 10,000. */
  unitsPerTick?: number;
  /** Units per slice at speed 'max', between yields to the event loop. Default 5,000. */
  unitsPerSlice?: number;
  /** The source ran out (it returned null). */
  onFinish?: () => void;
}

/** Jumps over closed stretches at most this often per tick (a weekend of sparse after-hours data). */
const MAX_SKIPS_PER_TICK = 64;

export class Pacer {
  private currentSpeed: Speed;
  private readonly tickMs: number;
  private readonly unitsPerTick: number;
  private readonly unitsPerSlice: number;
  private playing = false;
  private done = false;
  private timer: unknown = null;
  private deferred = false;
  /** Market time everything before which has been emitted (paced: up to and including). */
  private clock = 0;
  /** Market and wall time the pace is measured from. */
  private anchorMarket = 0;
  private anchorWall = 0;

  constructor(
    private readonly source: PacedSource,
    private readonly options: PacerOptions,
  ) {
    this.currentSpeed = options.speed;
    this.tickMs = options.tickMs ?? 25;
    this.unitsPerTick = options.unitsPerTick ?? 10_000;
    this.unitsPerSlice = options.unitsPerSlice ?? 5_000;
  }

  get speed(): Speed {
    return this.currentSpeed;
  }

  /** Whether the clock is running (started, not paused, not finished). */
  get running(): boolean {
    return this.playing;
  }

  get finished(): boolean {
    return this.done;
  }

  /** The market time reached, epoch ms. */
  get time(): number {
    return this.clock;
  }

  /** Starts the clock at market time `at`; at 'max' the first slice runs before this returns. */
  start(at: number): void {
    this.clock = at;
    this.done = false;
    this.play();
  }

  play(): void {
    if (this.playing || this.done) return;
    this.playing = true;
    this.anchor();
    this.schedule(true);
  }

  pause(): void {
    if (!this.playing) return;
    if (this.currentSpeed !== 'max') this.clock = Math.max(this.clock, this.target());
    this.playing = false;
    this.cancel();
  }

  setSpeed(speed: Speed): void {
    if (speed === this.currentSpeed) return;
    if (this.playing && this.currentSpeed !== 'max') this.clock = Math.max(this.clock, this.target());
    this.currentSpeed = speed;
    this.anchor();
    if (this.playing) {
      this.cancel();
      this.schedule(false);
    }
  }

  /**
   * Moves the clock to `t` without emitting anything (the source was repositioned: a seek, a step).
   * A finished pacer may run again after a jump.
   */
  jump(t: number): void {
    this.clock = t;
    this.done = false;
    this.anchor();
  }

  /** Stops for good; idempotent. */
  stop(): void {
    this.playing = false;
    this.done = true;
    this.cancel();
  }

  private anchor(): void {
    this.anchorMarket = this.clock;
    this.anchorWall = this.options.timers.now();
  }

  private target(): number {
    const speed = this.currentSpeed as number;
    return this.anchorMarket + (this.options.timers.now() - this.anchorWall) * speed;
  }

  private schedule(now: boolean): void {
    const { timers } = this.options;
    if (this.currentSpeed === 'max') {
      if (now) this.slice();
      else if (!this.deferred) {
        this.deferred = true;
        timers.defer(() => {
          this.deferred = false;
          this.slice();
        });
      }
    } else if (now) {
      this.tick();
    } else if (this.timer === null) {
      this.timer = timers.setTimeout(() => {
        this.timer = null;
        this.tick();
      }, this.tickMs);
    }
  }

  private cancel(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private finish(): void {
    this.playing = false;
    this.done = true;
    this.cancel();
    this.options.onFinish?.();
  }

  private slice(): void {
    if (!this.playing || this.currentSpeed !== 'max') return;
    const next = this.source.advance(Infinity, this.unitsPerSlice);
    if (next === null) return this.finish();
    this.clock = next;
    if (this.playing) this.schedule(false);
  }

  private tick(): void {
    if (!this.playing || this.currentSpeed === 'max') return;
    let target = this.target();
    for (let skips = 0; ; skips++) {
      const next = this.source.advance(target, this.unitsPerTick);
      if (next === null) return this.finish();
      if (!this.playing) return; // the source paused us (a step, a stop)
      if (next <= target) {
        // Too much due for one tick: carry on from where the source got to, a little behind.
        this.clock = next;
        this.anchor();
        break;
      }
      this.clock = target;
      const open = this.options.openAt(target);
      if (open <= target || skips >= MAX_SKIPS_PER_TICK) break;
      // Closed: the next session (or the next event, if sooner) opens "now" on the market clock.
      target = Math.min(open, next);
      this.clock = target;
      this.anchor();
    }
    this.schedule(false);
  }
}

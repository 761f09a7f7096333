/**
 * When a chart asks the store for older bars (`market.bars` with `before`), and what it concludes from
 * the answers. Pure: the chart tells it what is visible and what is held, it answers with a request or
 * nothing, and is told how each request ended.
 *
 * - It asks when fewer than one screen of bars is held left of the view, so scrolling rarely meets an
 *   empty chart; pages are a few screens wide, from 1,000 to MAX_BARS_PER_REQUEST (5,000) bars.
 * - One request at a time per chart: while one is out, nothing else is asked (the same page is never
 *   requested twice concurrently), and the answer of a request made before a reset is ignored.
 * - A page shorter than asked means the store has nothing older: it stops there ('start') until the
 *   series drops its oldest bars again. A series holding `maxBars` stops too ('limit').
 * - A failed request stops paging ('error') until `retry`; the trader sees why.
 */
import { MAX_BARS_PER_REQUEST } from '../../shared/api';

/**
 * Where the oldest held bar stands: more may be stored ('more'), a page is on its way ('loading'), the
 * store has nothing older ('start'), the chart holds all it may ('limit'), or the last request failed.
 */
export type HistoryEdge = 'more' | 'loading' | 'start' | 'limit' | 'error';

export interface PageRequest {
  /** Epoch ms: the page holds bars that start strictly before this (the oldest held bar's start). */
  before: number;
  /** Bars asked for, 1..MAX_BARS_PER_REQUEST. */
  limit: number;
  /** Which reset this request belongs to; answers of earlier generations are ignored. */
  generation: number;
}

export interface ViewExtent {
  /** Logical index of the left edge of the view (0 = oldest held bar; negative = empty space left of it). */
  from: number;
  /** Logical index of the right edge of the view. */
  to: number;
}

export interface HeldBars {
  length: number;
  /** Start of the oldest held bar (epoch ms), or null when none is held. */
  oldestStart: number | null;
}

export const MIN_PAGE_BARS = 1000;
/** Pages span this many screens, so a steady scroll needs a request only now and then. */
const SCREENS_PER_PAGE = 5;

export class HistoryPager {
  private edgeState: HistoryEdge = 'more';
  private errorText: string | null = null;
  private generation = 0;
  private inFlight: PageRequest | null = null;

  /** @param maxBars Most bars a chart may hold; paging stops there. */
  constructor(private readonly maxBars: number) {}

  get edge(): HistoryEdge {
    return this.edgeState;
  }

  /** Why the last request failed, while `edge` is 'error'. */
  get error(): string | null {
    return this.errorText;
  }

  /** A new series (another symbol or timeframe, or a reload): forget requests and conclusions. */
  reset(): void {
    this.generation += 1;
    this.inFlight = null;
    this.edgeState = 'more';
    this.errorText = null;
  }

  /**
   * The page to ask for now, or null: when the view's left edge is within one screen of the oldest held
   * bar, nothing is in flight, and the store may hold more.
   */
  want(view: ViewExtent, held: HeldBars): PageRequest | null {
    if (this.edgeState !== 'more' || held.oldestStart === null) return null;
    const screen = Math.max(1, view.to - view.from);
    if (view.from > screen) return null;
    const room = this.maxBars - held.length;
    if (room <= 0) {
      this.edgeState = 'limit';
      return null;
    }
    const page = Math.min(
      MAX_BARS_PER_REQUEST,
      Math.max(MIN_PAGE_BARS, Math.ceil(screen * SCREENS_PER_PAGE)),
    );
    const request: PageRequest = {
      before: held.oldestStart,
      limit: Math.max(1, Math.min(page, room)),
      generation: this.generation,
    };
    this.inFlight = request;
    this.edgeState = 'loading';
    return request;
  }

  /**
   * The answer to `request` arrived with `received` bars, of which `added` were older than what was
   * held. Returns false when the request is stale (made before a reset): drop its bars.
   */
  settle(request: PageRequest, received: number, added: number): boolean {
    if (!this.isCurrent(request)) return false;
    this.inFlight = null;
    // A short page is the store's last; a page that added nothing would only be asked again.
    this.edgeState = received < request.limit || added === 0 ? 'start' : 'more';
    return true;
  }

  /** Whether `request` is the one in flight (its answer is still wanted). */
  isCurrent(request: PageRequest): boolean {
    return this.inFlight === request && request.generation === this.generation;
  }

  /** The request failed; paging stops until `retry`. Returns false for a stale request. */
  fail(request: PageRequest, message: string): boolean {
    if (!this.isCurrent(request)) return false;
    this.inFlight = null;
    this.edgeState = 'error';
    this.errorText = message;
    return true;
  }

  retry(): void {
    if (this.edgeState !== 'error') return;
    this.edgeState = 'more';
    this.errorText = null;
  }

  /** The series dropped its oldest bars: the store has bars older than those held again. */
  trimmed(): void {
    if (this.edgeState === 'start' || this.edgeState === 'limit') this.edgeState = 'more';
  }
}

/**
 * What the smoothness page (smoothness.page.ts, run in Chromium) offers the bench on `window.smoothness`:
 * shared by both sides, free of DOM and Node types.
 */
export interface RunOptions {
  /** One-minute bars to load. */
  bars: number;
  /** Live updates a second, for `seconds`. */
  rate: number;
  seconds: number;
  /** A new bar every this many updates (the newest bar forms in between). */
  barEvery: number;
  /**
   * ours only: scroll back first, as a trader reading history does, until the series holds as many bars
   * as scroll-back may load (HISTORY_MAX_BARS) or stops growing.
   */
  scrollBack?: boolean;
}

export interface RunResult {
  /** setData of every bar (bare) or CandleChart.load (ours), ms. */
  loadMs: number;
  /** The time until the first frame after the load was drawn, ms. */
  firstFrameMs: number;
  /** Bars the chart's series holds after the load (and scroll-back). */
  seriesBars: number;
  /** Per update() (bare) or per flush (ours), ms. */
  work: number[];
  /** requestAnimationFrame deltas over the live part of the run, ms. */
  frames: number[];
  /** Live bars offered (update() calls or push() calls). */
  offered: number;
}

export interface SmoothnessApi {
  bare(options: RunOptions): Promise<RunResult>;
  ours(options: RunOptions): Promise<RunResult>;
}

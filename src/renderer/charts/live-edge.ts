/**
 * Where a chart's view stands against its newest bar: whether the trader still sees it (live bars are
 * then drawn every frame, and the pane offers no way back to it) or has scrolled it out of view.
 */

/** A view's span in logical bar indexes (bar i is drawn from i - 0.5 to i + 0.5), as lightweight-charts gives it. */
export interface LogicalSpan {
  from: number;
  to: number;
}

/**
 * Whether any of the newest of `length` bars is in a view spanning `range`. True while the view is unknown
 * (null) or the series empty: there is nothing to scroll back to.
 */
export function newestBarInView(range: LogicalSpan | null, length: number): boolean {
  return range === null || length === 0 || range.to > length - 1.5;
}

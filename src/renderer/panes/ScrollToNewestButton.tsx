/**
 * TradingView's ">>" button: once the trader has scrolled the newest bar out of view, a small button over
 * the candle pane's bottom-right corner (above the volume and any pane below it, left of the price scale)
 * brings the view back to the live edge at the same zoom; it goes away as soon as the newest bar is in
 * view again.
 */
import { useLayoutEffect, useRef, type RefObject } from 'react';
import type { CandleChart, ChartSnapshot } from '../charts/candle-chart';

/** Gap (px) between the button and the candle pane's bottom and right edges. */
const GAP = 6;

interface ScrollToNewestButtonProps {
  chartRef: RefObject<CandleChart | null>;
  snapshot: ChartSnapshot;
}

export function ScrollToNewestButton({ chartRef, snapshot }: ScrollToNewestButtonProps) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  const shown = snapshot.barCount > 0 && !snapshot.newestInView;
  // Placed after every render while shown: the pane renders on each snapshot change (live bars included),
  // so a price scale that widens with the prices in view moves the button with it.
  useLayoutEffect(() => {
    const button = buttonRef.current;
    const chart = chartRef.current;
    if (button === null || chart === null) return;
    const { right, bottom } = chart.plotInsets();
    button.style.right = `${right + GAP}px`;
    button.style.bottom = `${bottom + GAP}px`;
  });
  if (!shown) return null;
  return (
    <button
      ref={buttonRef}
      type="button"
      className="scroll-to-newest"
      data-testid="scroll-to-newest"
      aria-label="Go to the newest bar"
      title="Go to the newest bar"
      onClick={() => chartRef.current?.scrollToNewest()}
    >
      <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
        <path
          d="M3 3.5L6.5 7L3 10.5M7.5 3.5L11 7L7.5 10.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    </button>
  );
}

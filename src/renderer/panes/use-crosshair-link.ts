/**
 * Links the panes' crosshairs: the moment under the pointer in one pane is shown in the others (when the
 * workspace's linkCrosshair is on), through the window's crosshair store (crosshair-link-store.ts). Each
 * other pane shows it on its own bar holding that moment (a 1D pane: the day of the 1m bar pointed at), at
 * the same price where it shows the same symbol, else at that bar's close.
 *
 * Synchronised time: a double-click (or Alt+click) on a pane brings the moment clicked into view in every
 * other pane, each keeping its zoom (the same number of bars in view), by time, never by bar index, since
 * the timeframes differ.
 *
 * The pointer's leave is heard three ways: the host's pointerleave; a pointer event anywhere in the window
 * (a move, a release) outside the host while this pane has the pointer; and a crosshair move of the chart
 * whose mouse event is outside the host. A drag of the chart holds the mouse: the library keeps reporting
 * its moves beyond the chart, and a pointer released outside it (or captured) sends no pointerleave after
 * that, which left the other panes showing the last moment pointed at.
 *
 * The chart host says what is shown, for tests and tools: data-crosshair-time (epoch ms of the bar the
 * crosshair is on), data-crosshair-from (the slot of the pane pointed at, on the other panes) and
 * data-synced-time (the bar brought into view by the last sync).
 */
import { useEffect, type RefObject } from 'react';
import type { MouseEventParams, Time } from 'lightweight-charts';
import type { CandleChart } from '../charts/candle-chart';
import { epochMs, type ChartAddon, type ChartSurface } from '../charts/chart-addon';
import { INTRADAY_MINUTES, type Bar, type Timeframe } from '../../shared/domain';
import { useWorkspaceControl } from '../workspace/workspace-context';
import { barIndexAt, crosshairLink, type CrosshairLinkStore } from './crosshair-link-store';

/** Older history pages a sync loads at most while seeking a moment older than the bars held. */
const MAX_SEEK_PAGES = 8;

/** How long a bar of `timeframe` lasts, ms (a 1D bar: a whole day from its start, early closes too). */
const barLengthMs = (timeframe: Timeframe): number =>
  timeframe === '1D' ? 86_400_000 : INTRADAY_MINUTES[timeframe] * 60_000;

export function useCrosshairLink(chartRef: RefObject<CandleChart | null>, slot: number): void {
  const linked = useWorkspaceControl().workspace.linkCrosshair;
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    return chart.attach((surface) => crosshairAddon(surface, slot, linked, crosshairLink));
  }, [chartRef, slot, linked]);
}

/** The crosshair link of one pane (see the module comment); exported for tests. */
export function crosshairAddon(
  surface: ChartSurface,
  slot: number,
  linked: boolean,
  store: CrosshairLinkStore,
): ChartAddon {
  const { chart, candles, host } = surface;
  // setCrosshairPosition makes the chart report a crosshair move too: only the pointer's own count.
  let pointerInside = false;
  let showingOther = false;
  let seenSync = store.lastSync?.seq ?? 0;

  /** Whether a point of the page (CSS pixels) is outside the chart's host; false when unknown. */
  const outsideHost = (x: unknown, y: unknown): boolean => {
    if (typeof x !== 'number' || typeof y !== 'number' || typeof host.getBoundingClientRect !== 'function') {
      return false;
    }
    const rect = host.getBoundingClientRect();
    return x < rect.left || x >= rect.right || y < rect.top || y >= rect.bottom;
  };
  const forget = (): void => {
    delete host.dataset.crosshairTime;
    delete host.dataset.crosshairFrom;
  };
  const onMove = (param: MouseEventParams<Time>): void => {
    const source = param.sourceEvent;
    // A move the chart reports from beyond its host (the chart is dragged, holding the mouse): left.
    if (source !== undefined && outsideHost(source.clientX, source.clientY)) {
      if (pointerInside) onLeave();
      return;
    }
    // A move with a mouse event is the pointer's own, even where no pointerenter came (the pointer was
    // already over the chart when a list above it closed).
    if (source !== undefined && param.point !== undefined) pointerInside = true;
    if (!pointerInside) return;
    if (param.time === undefined || param.point === undefined) {
      forget();
      store.leave(slot);
      return;
    }
    const time = epochMs(param.time);
    if (!Number.isFinite(time)) return;
    host.dataset.crosshairTime = String(time);
    delete host.dataset.crosshairFrom;
    if (linked) {
      const price = candles.coordinateToPrice(param.point.y);
      store.move({ slot, symbol: surface.symbol(), time, price: price ?? Number.NaN });
    }
  };
  const onEnter = (): void => {
    pointerInside = true;
    pendingSync = null;
    if (showingOther) {
      showingOther = false;
      forget();
    }
  };
  function onLeave(): void {
    pointerInside = false;
    forget();
    store.leave(slot);
  }
  /**
   * A press on this chart released outside it (the end of a drag of the chart): the library keeps its
   * crosshair where the mouse last was over the chart, hearing no leave while the mouse was held, and
   * reports it again on every live bar, so this pane's crosshair and legend would keep that bar. Cleared
   * after the release, once the library's own mouseup (dispatched after this pointerup) has run.
   */
  let pressedHere = false;
  const onPress = (): void => {
    pressedHere = true;
  };
  const clearOwnCrosshair = (): void => {
    if (pointerInside) return; // Back over the chart by now: its crosshair is the pointer's.
    surface.setCrosshair(null, Number.NaN);
    forget();
  };
  /** A pointer event anywhere in the window: one outside the host while this pane had the pointer left it. */
  const onWindowPointer = (event: PointerEvent): void => {
    const outside = outsideHost(event.clientX, event.clientY);
    if (pointerInside && outside) onLeave();
    if (event.type === 'pointerup') {
      if (pressedHere && outside) setTimeout(clearOwnCrosshair, 0);
      pressedHere = false;
    }
  };
  const view = host.ownerDocument?.defaultView ?? null;

  /**
   * The bar of this pane holding moment `time` (epoch ms), when it is loaded and in view; undefined
   * before the oldest bar, after the newest one's end, or off screen (the chart would draw the
   * crosshair at the edge of the view instead, on another bar).
   */
  const barShowing = (time: number): Bar | undefined => {
    const bars = surface.bars();
    const index = barIndexAt(bars, time);
    const bar = bars[index];
    if (bar === undefined) return undefined;
    if (index === bars.length - 1 && time >= bar.start + barLengthMs(surface.timeframe())) return undefined;
    const range = chart.timeScale().getVisibleLogicalRange();
    if (range !== null && (index < Math.floor(range.from) || index > Math.ceil(range.to))) return undefined;
    return bar;
  };

  /** Shows the other pane's moment here, or clears what was shown. */
  const show = (): void => {
    const point = store.current;
    if (pointerInside) return;
    const bar = point === null || point.slot === slot || !linked ? undefined : barShowing(point.time);
    if (point === null || bar === undefined) {
      if (showingOther) {
        showingOther = false;
        surface.setCrosshair(null, Number.NaN);
        forget();
      }
      return;
    }
    const samePrice = point.symbol === surface.symbol() && Number.isFinite(point.price);
    surface.setCrosshair(bar.start, samePrice ? point.price : bar.close);
    showingOther = true;
    host.dataset.crosshairTime = String(bar.start);
    host.dataset.crosshairFrom = String(point.slot);
  };

  /**
   * Scrolls the bar holding `time` to the middle of the view, keeping the number of bars in view. A moment
   * older than the bars held scrolls to the oldest, which loads older history (candle-chart.ts); the
   * moment is sought again when it arrives (`pendingSync`).
   */
  let pendingSync: number | null = null;
  let seekPages = 0;
  const bringIntoView = (time: number, again = false): void => {
    seekPages = again ? seekPages + 1 : 0;
    const bars = surface.bars();
    const range = chart.timeScale().getVisibleLogicalRange();
    if (bars.length === 0 || range === null) return;
    const found = barIndexAt(bars, time);
    // Older pages are sought a few times at most: a minute pane asked for a day years back stops at the oldest.
    pendingSync = found < 0 && seekPages < MAX_SEEK_PAGES ? time : null;
    const index = Math.max(0, found);
    const half = (range.to - range.from) / 2;
    chart.timeScale().setVisibleLogicalRange({ from: index - half, to: index + half });
    host.dataset.syncedTime = String((bars[index] as { start: number }).start);
  };
  const onChange = (): void => {
    const sync = store.lastSync;
    if (sync !== null && sync.seq > seenSync) {
      seenSync = sync.seq;
      if (sync.slot !== slot) bringIntoView(sync.time);
    }
    show();
  };
  const requestSync = (param: MouseEventParams<Time>): void => {
    if (param.time === undefined) return;
    const time = epochMs(param.time);
    if (Number.isFinite(time)) store.requestSync(slot, time);
  };
  const onClick = (param: MouseEventParams<Time>): void => {
    if (param.sourceEvent?.altKey) requestSync(param);
  };

  chart.subscribeCrosshairMove(onMove);
  chart.subscribeDblClick(requestSync);
  chart.subscribeClick(onClick);
  host.addEventListener('pointerenter', onEnter);
  host.addEventListener('pointerleave', onLeave);
  host.addEventListener('pointerdown', onPress);
  // In the capture phase: heard even where an element stops the event on its way (a menu, a dialog).
  view?.addEventListener('pointermove', onWindowPointer, true);
  view?.addEventListener('pointerup', onWindowPointer, true);
  const stop = store.subscribe(onChange);
  return {
    // New bars (another symbol, older history): the other pane's moment falls on another bar now.
    seriesChanged: (change) => {
      if (change.kind !== 'reset') return;
      // Older history arrived (or another symbol): seek a moment that was older than the bars held.
      if (pendingSync !== null) bringIntoView(pendingSync, true);
      show();
    },
    dispose: () => {
      stop();
      chart.unsubscribeCrosshairMove(onMove);
      chart.unsubscribeDblClick(requestSync);
      chart.unsubscribeClick(onClick);
      host.removeEventListener('pointerenter', onEnter);
      host.removeEventListener('pointerleave', onLeave);
      host.removeEventListener('pointerdown', onPress);
      view?.removeEventListener('pointermove', onWindowPointer, true);
      view?.removeEventListener('pointerup', onWindowPointer, true);
      if (showingOther) surface.setCrosshair(null, Number.NaN);
      forget();
      if (pointerInside) store.leave(slot);
    },
  };
}

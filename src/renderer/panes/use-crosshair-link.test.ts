/**
 * crosshairAddon (use-crosshair-link.ts) on stand-in chart surfaces sharing one store: the other panes
 * show the moment pointed at through surface.setCrosshair (which also sets their legend), clear it when
 * the pointer leaves, and clear it instead of showing another bar when the moment is not among their
 * loaded bars or not in view.
 */
import { describe, expect, it } from 'vitest';
import type { MouseEventParams, Time } from 'lightweight-charts';
import type { Bar, Timeframe } from '../../shared/domain';
import { sampleBar } from '../../shared/test-support/sample-bar';
import { chartTime, type ChartSurface } from '../charts/chart-addon';
import { crosshairAddon } from './use-crosshair-link';
import { CrosshairLinkStore } from './crosshair-link-store';

const MINUTE = 60_000;
const OPEN = Date.UTC(2026, 10, 30, 14, 30);

type Move = (param: MouseEventParams<Time>) => void;

/** A pane's chart surface that records the crosshair it is asked to show (null: cleared). */
function standIn(timeframe: Timeframe, starts: number[], view?: { from: number; to: number }) {
  const bars: Bar[] = starts.map((start) => sampleBar({ start, timeframe, closed: true }));
  const moves: Move[] = [];
  const listeners = new Map<string, () => void>();
  const state = { crosshair: null as number | null, setCalls: 0 };
  /** The window the host is in (pointer events anywhere in it), and the host's place: 0..100 both ways. */
  const windowOfHost = new EventTarget();
  const surface = {
    chart: {
      subscribeCrosshairMove: (fn: Move) => moves.push(fn),
      unsubscribeCrosshairMove: () => undefined,
      subscribeDblClick: () => undefined,
      unsubscribeDblClick: () => undefined,
      subscribeClick: () => undefined,
      unsubscribeClick: () => undefined,
      timeScale: () => ({
        getVisibleLogicalRange: () => view ?? { from: 0, to: bars.length - 1 },
        setVisibleLogicalRange: () => undefined,
      }),
    },
    candles: { coordinateToPrice: () => 500 },
    host: {
      dataset: {} as Record<string, string>,
      addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
      removeEventListener: (type: string) => listeners.delete(type),
      getBoundingClientRect: () => ({ left: 0, top: 0, right: 100, bottom: 100 }),
      ownerDocument: { defaultView: windowOfHost },
    },
    bars: () => bars,
    symbol: () => 'SPY',
    timeframe: () => timeframe,
    setCrosshair: (time: number | null) => {
      state.crosshair = time;
      state.setCalls++;
    },
  } as unknown as ChartSurface;
  /** The pointer enters this pane and points at the bar starting at `start`. */
  const pointAt = (start: number): void => {
    listeners.get('pointerenter')?.();
    const param = { time: chartTime(start), point: { x: 10, y: 10 }, sourceEvent: {} };
    for (const move of moves) move(param as unknown as MouseEventParams<Time>);
  };
  const leave = (): void => listeners.get('pointerleave')?.();
  /** A press of the mouse on this pane's chart. */
  const press = (): void => listeners.get('pointerdown')?.();
  /** The chart reports a move of the mouse at page (x, y) on the bar starting at `start` (a drag goes on). */
  const chartMove = (start: number, x: number, y: number): void => {
    const param = { time: chartTime(start), point: { x, y }, sourceEvent: { clientX: x, clientY: y } };
    for (const move of moves) move(param as unknown as MouseEventParams<Time>);
  };
  /** A pointer event of `type` at page (x, y), heard by the window (no pointerleave comes with it). */
  const windowPointer = (type: string, x: number, y: number): void => {
    windowOfHost.dispatchEvent(Object.assign(new Event(type), { clientX: x, clientY: y }));
  };
  return { surface, state, pointAt, leave, press, chartMove, windowPointer, host: surface.host };
}

describe('the linked crosshair', () => {
  const minutes = Array.from({ length: 60 }, (_, i) => OPEN + i * MINUTE);
  const fives = Array.from({ length: 12 }, (_, i) => OPEN + i * 5 * MINUTE);
  /** A 1m pane (slot 0) and a 5m pane (slot 1) of the same hour, linked through one store. */
  const linkedMinuteAndFive = () => {
    const store = new CrosshairLinkStore();
    const one = standIn('1m', minutes);
    const five = standIn('5m', fives);
    crosshairAddon(one.surface, 0, true, store);
    crosshairAddon(five.surface, 1, true, store);
    return { store, one, five };
  };

  it('shows the moment on the other pane, and clears it (legend back to the newest) when the pointer leaves', () => {
    const { one, five } = linkedMinuteAndFive();

    one.pointAt(OPEN + 17 * MINUTE);
    expect(five.state.crosshair).toBe(OPEN + 15 * MINUTE);
    expect(five.host.dataset.crosshairFrom).toBe('0');

    one.leave();
    expect(five.state.crosshair).toBeNull();
    expect(five.host.dataset.crosshairTime).toBeUndefined();
  });

  it('clears the crosshair where the moment is before the oldest bar, after the newest, or out of view', () => {
    const store = new CrosshairLinkStore();
    const five = standIn('5m', fives);
    // The 1m pane holds the last 30 minutes only, and shows its 10 newest.
    const one = standIn('1m', minutes.slice(30), { from: 20, to: 29 });
    crosshairAddon(five.surface, 0, true, store);
    crosshairAddon(one.surface, 1, true, store);

    five.pointAt(OPEN + 55 * MINUTE);
    expect(one.state.crosshair).toBe(OPEN + 55 * MINUTE);
    // Before the oldest minute held: cleared, not drawn on the oldest.
    five.pointAt(OPEN + 5 * MINUTE);
    expect(one.state.crosshair).toBeNull();
    five.pointAt(OPEN + 55 * MINUTE);
    // Held but out of view: the chart would draw it on the edge of the view.
    five.pointAt(OPEN + 35 * MINUTE);
    expect(one.state.crosshair).toBeNull();

    // After the newest bar and its length: cleared; within the newest bar: shown on it.
    const later = standIn('5m', [...fives, OPEN + 70 * MINUTE]);
    const short = standIn('5m', fives.slice(0, 6));
    crosshairAddon(later.surface, 2, true, store);
    crosshairAddon(short.surface, 3, true, store);
    later.pointAt(OPEN + 25 * MINUTE);
    expect(short.state.crosshair).toBe(OPEN + 25 * MINUTE);
    later.pointAt(OPEN + 70 * MINUTE);
    expect(short.state.crosshair).toBeNull();
  });

  it('clears the other panes when a drag ends outside the chart, though no pointerleave comes', () => {
    const { store, one, five } = linkedMinuteAndFive();

    one.pointAt(OPEN + 17 * MINUTE);
    expect(five.state.crosshair).toBe(OPEN + 15 * MINUTE);
    // The drag goes on beyond the chart: the chart still reports the mouse's moves, from outside its host.
    one.chartMove(OPEN + 20 * MINUTE, 140, 50);
    expect(five.state.crosshair).toBeNull();
    expect(one.host.dataset.crosshairTime).toBeUndefined();
    expect(store.current).toBeNull();

    // Back over the chart, then released outside it with no move reported there: the release clears.
    one.pointAt(OPEN + 17 * MINUTE);
    expect(five.state.crosshair).toBe(OPEN + 15 * MINUTE);
    one.windowPointer('pointerup', 50, 130);
    expect(five.state.crosshair).toBeNull();
    expect(five.host.dataset.crosshairTime).toBeUndefined();

    // Moves and releases inside the host leave it be; a move of the window outside it clears.
    one.pointAt(OPEN + 17 * MINUTE);
    one.windowPointer('pointermove', 50, 50);
    one.windowPointer('pointerup', 50, 50);
    expect(five.state.crosshair).toBe(OPEN + 15 * MINUTE);
    one.windowPointer('pointermove', -5, 50);
    expect(five.state.crosshair).toBeNull();
  });

  it("clears the dragged pane's own crosshair and legend after a press on it is released outside it", async () => {
    const store = new CrosshairLinkStore();
    const one = standIn('1m', minutes);
    crosshairAddon(one.surface, 0, true, store);

    one.pointAt(OPEN + 17 * MINUTE);
    one.press();
    one.leave();
    const before = one.state.setCalls;
    one.windowPointer('pointerup', 140, 50);
    // After the library's own mouseup, which would put its crosshair back.
    expect(one.state.setCalls).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(one.state.setCalls).toBe(before + 1);
    expect(one.state.crosshair).toBeNull();
    // A later release outside, with no press on this chart before it, leaves the chart alone.
    one.windowPointer('pointerup', 140, 50);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(one.state.setCalls).toBe(before + 1);
  });

  it('leaves the crosshair be when the press is released back over the chart', async () => {
    const store = new CrosshairLinkStore();
    const one = standIn('1m', minutes);
    crosshairAddon(one.surface, 0, true, store);
    one.pointAt(OPEN + 17 * MINUTE);
    one.press();
    one.chartMove(OPEN + 20 * MINUTE, 140, 50);
    one.pointAt(OPEN + 18 * MINUTE);
    const calls = one.state.setCalls;
    one.windowPointer('pointerup', 50, 50);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(one.state.setCalls).toBe(calls);
    expect(one.host.dataset.crosshairTime).toBe(String(OPEN + 18 * MINUTE));
  });
});

/**
 * drawing-layer.ts on a stand-in chart (no browser here): what a trader's clicks and keys do to the
 * workspace's drawings, and which drawings a pane shows while its symbol changes. The canvas itself is
 * checked by e2e/drawings.spec.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IPrimitivePaneRenderer, ISeriesPrimitive, MouseEventParams, Time } from 'lightweight-charts';
import type { Bar, Drawing, Timeframe } from '../../shared/domain';
import { sampleBar } from '../../shared/test-support/sample-bar';
import type { ChartSurface } from '../charts/chart-addon';
import { createValueStore } from '../engine/value-store';
import { DRAWING_COLOR, DrawingLayer, SELECTED_DRAWING_COLOR, type DrawingActions } from './drawing-layer';
import { NO_TOOL, type DrawingToolsState } from './drawing-tools-state';
import type { ScreenSegment } from './trend-lines-primitive';

const OPEN = Date.UTC(2025, 2, 14, 13, 30);
const MINUTE = 60_000;
const bar = (i: number, timeframe: Timeframe = '1m'): Bar =>
  sampleBar({ start: OPEN + i * MINUTE, timeframe, closed: true });

/**
 * A chart 10 px a bar (bar i at x = 100 + 10 i) and 1 px a cent (y = (600 - price) * 100), holding ten
 * minute bars of `symbol`.
 */
function standInChart(initialSymbol: string) {
  let symbol: string | null = initialSymbol;
  const bars = Array.from({ length: 10 }, (_, i) => bar(i));
  const priceLines = new Map<string, { price: number; color: string }>();
  let primitive: ISeriesPrimitive<Time> | null = null;
  const moves = new Set<(param: MouseEventParams<Time>) => void>();
  const dataset: Record<string, string> = {};
  const host = Object.assign(new EventTarget(), { dataset });
  /**
   * The chart's scroll and scale options (a drag of a drawing turns them off). As the library does,
   * options() hands out the chart's own objects and applyOptions changes them in place (`false` turns every
   * part off), so a layer keeping them by reference would put back "off".
   */
  const options = {
    handleScroll: { mouseWheel: true, pressedMouseMove: true },
    handleScale: { mouseWheel: true, pinch: true },
  };
  const applyOptions = (o: Record<string, unknown>) => {
    for (const key of ['handleScroll', 'handleScale'] as const) {
      const value = o[key];
      if (value === undefined) continue;
      const own: Record<string, boolean> = options[key];
      if (typeof value === 'boolean') for (const part of Object.keys(own)) own[part] = value;
      else Object.assign(own, value);
    }
  };
  const surface = {
    chart: {
      options: () => options,
      applyOptions,
      // The candle pane's plot starts at the page's (0, 0), 1000 x 20000 px: pane pixels are page pixels.
      panes: () => [{ getHTMLElement: () => ({ getBoundingClientRect: () => ({ left: 0, top: 0 }) }) }],
      priceScale: () => ({ width: () => 0 }),
      paneSize: () => ({ width: 1000, height: 20_000 }),
      subscribeCrosshairMove: (f: (param: MouseEventParams<Time>) => void) => moves.add(f),
      unsubscribeCrosshairMove: (f: (param: MouseEventParams<Time>) => void) => moves.delete(f),
      timeScale: () => ({
        logicalToCoordinate: (i: number) => 100 + 10 * i,
        coordinateToLogical: (x: number) => Math.round((x - 100) / 10),
      }),
    },
    candles: {
      attachPrimitive: (p: ISeriesPrimitive<Time>) => {
        primitive = p;
        p.attached?.({ requestUpdate: () => {} } as never);
      },
      detachPrimitive: () => (primitive = null),
      createPriceLine: (options: { id: string; price: number; color: string }) => {
        const line = { price: options.price, color: options.color };
        priceLines.set(options.id, line);
        return {
          id: options.id,
          applyOptions: (o: { price: number; color: string }) => Object.assign(line, o),
        };
      },
      removePriceLine: (line: { id: string }) => priceLines.delete(line.id),
      priceToCoordinate: (price: number) => (600 - price) * 100,
      coordinateToPrice: (y: number) => 600 - y / 100,
      options: () => ({ priceFormat: { type: 'price', precision: 2, minMove: 0.01 } }),
    },
    host,
    bars: () => bars,
    symbol: () => symbol,
    timeframe: (): Timeframe => '1m',
  } as unknown as ChartSurface;

  const pointer = (type: string, x: number, y: number) =>
    Object.assign(new Event(type), { clientX: x, clientY: y, button: 0, pointerId: 1 });
  return {
    surface,
    priceLines,
    /** Whether the chart pans and zooms (every scroll and scale option on), or neither (all off). */
    scrolls(): boolean | 'partly' {
      const parts = [...Object.values(options.handleScroll), ...Object.values(options.handleScale)];
      return parts.every(Boolean) ? true : parts.some(Boolean) ? 'partly' : false;
    },
    /** The cursor the chart would show over (x, y), as the trend-line primitive's hit test says. */
    cursorAt(x: number, y: number): string | null {
      return primitive!.hitTest?.(x, y)?.cursorStyle ?? null;
    },
    /** A press at (x, y), moves by (dx, dy) over the window; released there unless `release` is false. */
    drag(x: number, y: number, dx: number, dy: number, release = true): void {
      for (const move of moves) move({ point: { x, y }, paneIndex: 0, sourceEvent: {} } as never);
      host.dispatchEvent(pointer('pointerdown', x, y));
      window.dispatchEvent(pointer('pointermove', x + dx / 2, y + dy / 2));
      window.dispatchEvent(pointer('pointermove', x + dx, y + dy));
      if (release) window.dispatchEvent(pointer('pointerup', x + dx, y + dy));
    },
    /** The segments the trend-line primitive would draw now. */
    segments(): readonly ScreenSegment[] {
      primitive!.updateAllViews?.();
      const renderer = primitive!.paneViews!()[0]!.renderer() as IPrimitivePaneRenderer & {
        segments: readonly ScreenSegment[];
      };
      return renderer.segments;
    },
    /**
     * The pointer moves to (x, y) of the candle pane, then clicks there (or, with `dragTo`, drags that far
     * right): press, release, click, as the browser sends them.
     */
    click(x: number, y: number, dragTo = 0): void {
      for (const move of moves) move({ point: { x, y }, paneIndex: 0, sourceEvent: {} } as never);
      host.dispatchEvent(pointer('pointerdown', x, y));
      window.dispatchEvent(pointer('pointerup', x + dragTo, y));
      host.dispatchEvent(Object.assign(new Event('click'), { button: 0, clientX: x + dragTo, clientY: y }));
    },
    movePointer(x: number, y: number): void {
      for (const move of moves) move({ point: { x, y }, paneIndex: 0, sourceEvent: {} } as never);
    },
    showSymbol(next: string | null): void {
      symbol = next;
    },
  };
}

/** Drawings without their ids (new ones get fresh ids), after checking each has one. */
function withoutIds(drawings: readonly Drawing[] | undefined): object[] | undefined {
  return drawings?.map(({ id, ...rest }) => {
    expect(id).toMatch(/^d[0-9a-z]+$/);
    return rest;
  });
}

function press(key: string): void {
  window.dispatchEvent(Object.assign(new Event('keydown'), { key }));
}

let layer: DrawingLayer | null = null;
let kept: Record<string, Drawing[]>;
const actions: DrawingActions = {
  add: (symbol, drawing) => (kept[symbol] = [...(kept[symbol] ?? []), drawing]),
  remove: (symbol, id) => (kept[symbol] = (kept[symbol] ?? []).filter((d) => d.id !== id)),
  replace: (symbol, drawing) =>
    (kept[symbol] = (kept[symbol] ?? []).map((d) => (d.id === drawing.id ? drawing : d))),
};

beforeEach(() => {
  kept = {};
  vi.stubGlobal('window', new EventTarget());
  vi.stubGlobal('HTMLElement', class {});
});

afterEach(() => {
  layer?.dispose();
  layer = null;
  vi.unstubAllGlobals();
});

function start(symbol = 'SPY') {
  const chart = standInChart(symbol);
  const tools = createValueStore<DrawingToolsState>(NO_TOOL);
  layer = new DrawingLayer(chart.surface, tools, actions);
  layer.setDrawings('SPY', []);
  /** The workspace changed: the layer is told, as useDrawings does. */
  const sync = () => layer!.setDrawings('SPY', kept.SPY ?? []);
  return { chart, tools, sync };
}

describe('drawing on a chart', () => {
  it('puts a horizontal line at the clicked price, then puts the tool down', () => {
    const { chart, tools, sync } = start();
    tools.set({ tool: 'horizontal', selected: null });
    expect(chart.surface.host.dataset.drawingTool).toBe('horizontal');
    chart.click(300, 12_345);
    expect(withoutIds(kept.SPY)).toEqual([{ kind: 'horizontal', price: 476.55 }]);
    expect(tools.get().tool).toBe('none');
    expect(chart.surface.host.dataset.drawingTool).toBeUndefined();
    sync();
    expect([...chart.priceLines.values()]).toEqual([{ price: 476.55, color: DRAWING_COLOR }]);
  });

  it('draws a trend line with two clicks, a dashed line following the pointer between them', () => {
    const { chart, tools, sync } = start();
    tools.set({ tool: 'trend', selected: null });
    chart.click(120, 10_000); // Bar 2, 500.00.
    chart.movePointer(200, 9_000);
    expect(chart.segments()).toEqual([
      {
        from: { x: 120, y: 10_000 },
        to: { x: 200, y: 9_000 },
        color: DRAWING_COLOR,
        handles: false,
        dashed: true,
      },
    ]);
    chart.click(165, 9_000); // Half-way through bar 6, 510.00.
    expect(withoutIds(kept.SPY)).toEqual([
      {
        kind: 'trend',
        from: { time: OPEN + 2 * MINUTE, price: 500 },
        to: { time: OPEN + 6.5 * MINUTE, price: 510 },
      },
    ]);
    expect(tools.get().tool).toBe('none');
    sync();
    expect(chart.segments()).toEqual([
      {
        from: { x: 120, y: 10_000 },
        to: { x: 165, y: 9_000 },
        color: DRAWING_COLOR,
        handles: false,
        dashed: false,
      },
    ]);
  });

  it('Esc puts down a trend line half drawn', () => {
    const { chart, tools } = start();
    tools.set({ tool: 'trend', selected: null });
    chart.click(120, 10_000);
    press('Escape');
    expect(tools.get().tool).toBe('none');
    expect(chart.segments()).toEqual([]);
    chart.click(160, 9_000);
    expect(kept.SPY).toBeUndefined();
  });

  it('a drag is panning, not a click: it draws nothing', () => {
    const { chart, tools } = start();
    tools.set({ tool: 'horizontal', selected: null });
    chart.click(300, 12_345, 40);
    expect(kept.SPY).toBeUndefined();
    expect(tools.get().tool).toBe('horizontal');
  });
});

describe('selecting and deleting', () => {
  it('a click within 6 px selects a line (drawn lighter); Delete removes it; a click elsewhere deselects', () => {
    kept = {
      SPY: [
        { id: 'h', kind: 'horizontal', price: 450 },
        {
          id: 't',
          kind: 'trend',
          from: { time: OPEN, price: 500 },
          to: { time: OPEN + 4 * MINUTE, price: 500 },
        },
      ],
    };
    const { chart, tools, sync } = start();
    sync();
    chart.click(400, 15_004);
    expect(tools.get().selected).toBe('h');
    expect(chart.priceLines.get('h')?.color).toBe(SELECTED_DRAWING_COLOR);
    chart.click(700, 12_000);
    expect(tools.get().selected).toBeNull();
    chart.click(130, 9_995);
    expect(tools.get().selected).toBe('t');
    expect(chart.segments()[0]).toMatchObject({ color: SELECTED_DRAWING_COLOR, handles: true });
    press('Delete');
    expect(kept.SPY?.map((d) => d.id)).toEqual(['h']);
    sync();
    expect(tools.get().selected).toBeNull();
    expect(chart.segments()).toEqual([]);
  });
});

describe('the keys go to the pane used last', () => {
  it('a click in another pane lets go of this one’s selection; Delete there removes nothing here', () => {
    kept = { SPY: [{ id: 'h', kind: 'horizontal', price: 450 }] };
    const { chart, tools, sync } = start();
    sync();
    const other = standInChart('SPY');
    const otherTools = createValueStore<DrawingToolsState>(NO_TOOL);
    const otherLayer = new DrawingLayer(other.surface, otherTools, actions);
    try {
      otherLayer.setDrawings('SPY', kept.SPY!);
      chart.click(400, 15_000);
      expect(tools.get().selected).toBe('h');
      other.click(400, 5_000);
      expect(tools.get().selected).toBeNull();
      press('Delete');
      expect(kept.SPY).toHaveLength(1);
    } finally {
      otherLayer.dispose();
    }
  });
});

describe('drawings belong to their symbol', () => {
  it('shows the symbol’s drawings only while the chart holds its bars', () => {
    kept = { SPY: [{ id: 'h', kind: 'horizontal', price: 450 }] };
    const { chart, sync } = start('QQQ');
    sync();
    // The pane switched to SPY; QQQ's bars are still on the chart.
    expect(chart.priceLines.size).toBe(0);
    chart.showSymbol('SPY');
    layer!.seriesChanged({ kind: 'reset' });
    expect([...chart.priceLines.keys()]).toEqual(['h']);
    // And away again: the new symbol's bars replace SPY's.
    layer!.setDrawings('TLT', []);
    chart.showSymbol('TLT');
    layer!.seriesChanged({ kind: 'reset' });
    expect(chart.priceLines.size).toBe(0);
  });

  it('removes everything it added when disposed', () => {
    kept = { SPY: [{ id: 'h', kind: 'horizontal', price: 450 }] };
    const { chart, tools, sync } = start();
    sync();
    tools.set({ tool: 'trend', selected: null });
    layer!.dispose();
    layer = null;
    expect(chart.priceLines.size).toBe(0);
    expect(chart.surface.host.dataset.drawingTool).toBeUndefined();
  });
});

describe('moving a drawing', () => {
  const line: Drawing = { id: 'h', kind: 'horizontal', price: 450 };
  // From bar 2 at 500.00 to bar 6 at 510.00: (120, 10000) to (160, 9000).
  const trend: Drawing = {
    id: 't',
    kind: 'trend',
    from: { time: OPEN + 2 * MINUTE, price: 500 },
    to: { time: OPEN + 6 * MINUTE, price: 510 },
  };

  function selected(id: string) {
    kept = { SPY: [line, trend] };
    const started = start();
    started.sync();
    started.tools.set({ tool: 'none', selected: id });
    return started;
  }

  it('drags a selected horizontal line to a higher price, the chart not scrolling meanwhile', () => {
    const { chart, tools, sync } = selected('h');
    expect(chart.cursorAt(700, 15_003)).toBe('ns-resize');
    chart.drag(700, 15_003, 35, -1_234, false);
    expect(chart.scrolls()).toBe(false);
    expect(chart.surface.host.dataset.drawingDrag).toBe('ns-resize');
    // Shown at the new price while dragged, saved only on release.
    expect(chart.priceLines.get('h')?.price).toBe(462.34);
    expect(JSON.parse(chart.surface.host.dataset.selectedDrawing!)).toEqual({ ...line, price: 462.34 });
    expect(kept.SPY).toEqual([line, trend]);
    window.dispatchEvent(
      Object.assign(new Event('pointerup'), { clientX: 735, clientY: 13_769, pointerId: 1 }),
    );
    expect(kept.SPY).toEqual([{ ...line, price: 462.34 }, trend]);
    expect(chart.scrolls()).toBe(true);
    expect(chart.surface.host.dataset.drawingDrag).toBeUndefined();
    sync();
    expect(chart.priceLines.get('h')).toEqual({ price: 462.34, color: SELECTED_DRAWING_COLOR });
    expect(tools.get().selected).toBe('h');
  });

  it('moves a trend line whole by its body, by whole bars', () => {
    const { chart } = selected('t');
    expect(chart.cursorAt(140, 9_500)).toBe('move');
    chart.drag(140, 9_500, 23, 500); // 2.3 bars right (2 bars), 5.00 lower.
    expect(kept.SPY?.[1]).toEqual({
      ...trend,
      from: { time: OPEN + 4 * MINUTE, price: 495 },
      to: { time: OPEN + 8 * MINUTE, price: 505 },
    });
  });

  it('moves one end of a trend line by its handle, the other staying', () => {
    const { chart } = selected('t');
    expect(chart.cursorAt(161, 9_003)).toBe('pointer');
    chart.drag(161, 9_003, -30, -1_000);
    expect(kept.SPY?.[1]).toEqual({ ...trend, to: { time: OPEN + 3 * MINUTE, price: 520 } });
    expect(chart.segments()[0]).toMatchObject({ from: { x: 120, y: 10_000 }, to: { x: 130, y: 8_000 } });
  });

  it('Esc during a drag puts the drawing back and saves nothing', () => {
    const { chart, tools } = selected('h');
    chart.drag(700, 15_000, 0, -2_000, false);
    expect(chart.priceLines.get('h')?.price).toBe(470);
    press('Escape');
    expect(chart.priceLines.get('h')?.price).toBe(450);
    expect(chart.scrolls()).toBe(true);
    window.dispatchEvent(
      Object.assign(new Event('pointerup'), { clientX: 700, clientY: 13_000, pointerId: 1 }),
    );
    expect(kept.SPY).toEqual([line, trend]);
    expect(tools.get().selected).toBe('h');
  });

  it('a press on empty chart pans it as always, whatever is selected', () => {
    const { chart, tools } = selected('h');
    expect(chart.cursorAt(700, 12_000)).toBeNull();
    chart.drag(700, 12_000, 40, 300, false);
    expect(chart.scrolls()).toBe(true);
    expect(chart.surface.host.dataset.drawingDrag).toBeUndefined();
    window.dispatchEvent(
      Object.assign(new Event('pointerup'), { clientX: 740, clientY: 12_300, pointerId: 1 }),
    );
    expect(kept.SPY).toEqual([line, trend]);
    expect(tools.get().selected).toBe('h');
  });

  it('a press on a line not selected grabs it at once: the drag moves it and leaves it selected', () => {
    const { chart, tools } = selected('t');
    // The grab's cursor over a drawing not selected too, not a hand.
    expect(chart.cursorAt(700, 15_003)).toBe('ns-resize');
    chart.drag(700, 15_003, 0, -1_000, false);
    expect(tools.get().selected).toBe('h');
    expect(chart.scrolls()).toBe(false);
    expect(chart.priceLines.get('h')).toEqual({ price: 460, color: SELECTED_DRAWING_COLOR });
    window.dispatchEvent(
      Object.assign(new Event('pointerup'), { clientX: 700, clientY: 14_003, pointerId: 1 }),
    );
    expect(kept.SPY).toEqual([{ ...line, price: 460 }, trend]);
    expect(tools.get().selected).toBe('h');
    expect(chart.scrolls()).toBe(true);
  });

  it('a trend line not selected is grabbed by its body or by an end, with their cursors', () => {
    const { chart, tools } = selected('h');
    tools.set({ tool: 'none', selected: null });
    expect(chart.cursorAt(140, 9_500)).toBe('move');
    expect(chart.cursorAt(160, 9_003)).toBe('pointer');
    chart.drag(160, 9_003, -30, -1_000);
    expect(kept.SPY?.[1]).toEqual({ ...trend, to: { time: OPEN + 3 * MINUTE, price: 520 } });
    expect(tools.get().selected).toBe('t');
  });

  it('a click on a line not selected selects it and moves nothing', () => {
    const { chart, tools } = selected('h');
    tools.set({ tool: 'none', selected: null });
    chart.click(400, 15_004);
    expect(tools.get().selected).toBe('h');
    expect(chart.priceLines.get('h')).toEqual({ price: 450, color: SELECTED_DRAWING_COLOR });
    expect(kept.SPY).toEqual([line, trend]);
    expect(chart.scrolls()).toBe(true);
    expect(chart.surface.host.dataset.drawingDrag).toBeUndefined();
  });

  it('with a tool picked, a press on a line places a point rather than grabbing the line', () => {
    const { chart, tools } = selected('h');
    tools.set({ tool: 'horizontal', selected: null });
    chart.click(400, 15_004);
    expect(chart.scrolls()).toBe(true);
    expect(kept.SPY).toHaveLength(3);
    expect(kept.SPY?.slice(0, 2)).toEqual([line, trend]);
  });
});

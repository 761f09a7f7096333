/**
 * A pane's drawings on its chart, and drawing them with the mouse: a chart addon (charts/chart-addon.ts).
 *
 * Horizontal lines are the candle series' price lines (a labelled price on the axis); trend lines are drawn
 * by a series primitive (trend-lines-primitive.ts), their moments placed on this pane's bars by
 * drawing-geometry.ts, so a line drawn on one timeframe shows on every other. Only drawings of the symbol
 * whose bars the chart holds are shown: while a new symbol loads, the old one's lines are gone at once.
 *
 * With a tool picked (drawing-tools-state.ts): a click puts a horizontal line at the clicked price; a trend
 * line takes two clicks, with a dashed line following the pointer between them. Esc cancels. With no tool,
 * clicks only select (within 6 px of a drawing: it turns lighter; Delete or Backspace removes it), so
 * dragging off the drawings and wheel zoom work as always. The pane the trader last used gets the keys.
 *
 * A press on a drawing, selected or not, selects and grabs it (drawing-move.ts) and a drag moves it, as in
 * TradingView (a press and release without moving just selects it): a horizontal line to another price, a
 * trend line whole by its body or one end by its handle, by whole bars. The chart does not scroll
 * meanwhile; the moved drawing is saved on release; Esc puts it back.
 *
 * The chart host says which drawing is selected, as drawn now, for tests and tools: data-selected-drawing
 * (the drawing as JSON: kind, price or from/to moments and prices) while one is.
 */
import {
  LineStyle,
  type IChartApi,
  type IPriceLine,
  type Logical,
  type MouseEventParams,
  type Time,
} from 'lightweight-charts';
import type { Drawing, DrawingPoint } from '../../shared/domain';
import type { ChartAddon, ChartSurface, SeriesChange } from '../charts/chart-addon';
import type { ValueStore } from '../engine/value-store';
import {
  drawingLogical,
  drawingTime,
  hitDrawing,
  logicalToX,
  xToLogical,
  type ScreenPoint,
  type ScreenShape,
} from './drawing-geometry';
import { newDrawingId } from './drawing-edit';
import { barDelta, grabCursor, grabPart, moveDrawing, samePlace, type DrawingPart } from './drawing-move';
import type { DrawingToolsState } from './drawing-tools-state';
import { TrendLinesPrimitive, type ScreenSegment } from './trend-lines-primitive';

/** Drawings' colour: amber, apart from the candles, volume, indicators and the model's overlays. */
export const DRAWING_COLOR = '#f0b429';
/** The selected drawing's colour: a lighter amber. */
export const SELECTED_DRAWING_COLOR = '#ffe08a';

/** What the layer asks of the window: change the workspace's drawings of a symbol. */
export interface DrawingActions {
  add(symbol: string, drawing: Drawing): void;
  remove(symbol: string, id: string): void;
  /** Puts `drawing` in place of the symbol's drawing with the same id (it was moved). */
  replace(symbol: string, drawing: Drawing): void;
}

/** A drawing being dragged: what was grabbed, where the press was, and where the drawing is now. */
interface DragState {
  symbol: string;
  part: DrawingPart;
  original: Drawing;
  moved: Drawing;
  /** The press: page pixels, and pane pixels with the logical index and raw price there. */
  client: { x: number; y: number };
  point: ScreenPoint;
  logical: number;
  price: number;
  pointerId: number;
  /** The chart's scroll and scale options before the drag, put back after it. */
  restore: { handleScroll: unknown; handleScale: unknown };
}

/** A press that moves further than this (CSS pixels) before release is a drag (panning), not a click. */
const DRAG_PX = 4;

/** The layer that has the keyboard: the one in the pane the trader clicked or picked a tool in last. */
const keyboard: { owner: DrawingLayer | null } = { owner: null };

/** An element taking typed keys: Delete and Backspace there edit text, not drawings. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export class DrawingLayer implements ChartAddon {
  private readonly primitive: TrendLinesPrimitive;
  /** The symbol whose drawings the pane shows (the pane's), and its drawings. */
  private symbol: string | null = null;
  private drawings: readonly Drawing[] = [];
  /** The drawings shown: those of `symbol` while the chart holds its bars (then `shownSymbol`), else none. */
  private shown: readonly Drawing[] = [];
  private shownSymbol: string | null = null;
  private readonly priceLines = new Map<string, { line: IPriceLine; price: number; selected: boolean }>();
  /** Trend lines' ends as logical indices on the bars held (drawing-geometry.ts), by id. */
  private readonly trendPlaces = new Map<string, { from: number; to: number }>();
  /** The first point of a trend line being drawn, and where the pointer is (pane pixels). */
  private pending: DrawingPoint | null = null;
  private pointer: ScreenPoint | null = null;
  /** Where the pointer is over the chart (pane coordinates, pane index), and where a press began (page). */
  private hover: { point: ScreenPoint; pane: number } | null = null;
  private downAt: { x: number; y: number } | null = null;
  private drag: DragState | null = null;
  private readonly stopTools: () => void;
  private disposed = false;

  constructor(
    private readonly surface: ChartSurface,
    private readonly tools: ValueStore<DrawingToolsState>,
    private readonly actions: DrawingActions,
  ) {
    this.primitive = new TrendLinesPrimitive(
      () => this.segments(),
      (x, y) => this.hoverCursor({ x, y }),
    );
    surface.candles.attachPrimitive(this.primitive);
    surface.chart.subscribeCrosshairMove(this.onPointerMove);
    surface.host.addEventListener('pointerdown', this.onPointerDown);
    // In the capture phase: before the chart hears the press and starts panning.
    surface.host.addEventListener('pointerdown', this.onPress, true);
    surface.host.addEventListener('pointerleave', this.onPointerLeave);
    surface.host.addEventListener('click', this.onClick);
    window.addEventListener('keydown', this.onKey);
    this.stopTools = tools.subscribe(this.onToolsChange);
    this.onToolsChange();
  }

  /** The pane's symbol and its drawings (from the workspace), after every change of either. */
  setDrawings(symbol: string | null, drawings: readonly Drawing[]): void {
    if (this.disposed) return;
    this.symbol = symbol;
    this.drawings = drawings;
    this.refresh();
  }

  seriesChanged(change: SeriesChange): void {
    // A reset may be a new symbol's bars (show its drawings); any change may move the places of moments
    // beyond the newest bar (a new bar now holds them). No repaint asked: the chart repaints after a change
    // of its data anyway, and asks for the trend lines' pixels then.
    if (change.kind === 'reset') this.refresh(false);
    else if (this.trendPlaces.size > 0) this.placeTrends(false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.endDrag(false);
    this.disposed = true;
    if (keyboard.owner === this) keyboard.owner = null;
    this.stopTools();
    window.removeEventListener('keydown', this.onKey);
    this.surface.chart.unsubscribeCrosshairMove(this.onPointerMove);
    this.surface.host.removeEventListener('pointerdown', this.onPointerDown);
    this.surface.host.removeEventListener('pointerdown', this.onPress, true);
    this.surface.host.removeEventListener('pointerleave', this.onPointerLeave);
    this.surface.host.removeEventListener('click', this.onClick);
    for (const { line } of this.priceLines.values()) this.surface.candles.removePriceLine(line);
    this.priceLines.clear();
    this.surface.candles.detachPrimitive(this.primitive);
    delete this.surface.host.dataset.drawingTool;
    delete this.surface.host.dataset.selectedDrawing;
  }

  /**
   * Shows the drawings of the symbol whose bars are on the chart, with the selection in its colour;
   * `repaint`: ask the chart to repaint (not needed when it repaints for a change of its data).
   */
  private refresh(repaint = true): void {
    const shownSymbol = this.symbol !== null && this.surface.symbol() === this.symbol ? this.symbol : null;
    if (shownSymbol !== this.shownSymbol) {
      // Another symbol (or none): a line being drawn belonged to the one before.
      this.pending = null;
      this.pointer = null;
    }
    this.shownSymbol = shownSymbol;
    if (this.drag !== null && this.drag.symbol !== shownSymbol) this.endDrag(false);
    const drag = this.drag;
    this.shown =
      shownSymbol === null
        ? []
        : drag === null
          ? this.drawings
          : this.drawings.map((drawing) => (drawing.id === drag.moved.id ? drag.moved : drawing));
    const { selected } = this.tools.get();
    if (selected !== null && !this.shown.some((drawing) => drawing.id === selected)) {
      this.tools.set({ ...this.tools.get(), selected: null });
      return; // The store's change calls refresh again.
    }
    const shownSelected = this.shown.find((drawing) => drawing.id === selected);
    if (shownSelected === undefined) delete this.surface.host.dataset.selectedDrawing;
    else this.surface.host.dataset.selectedDrawing = JSON.stringify(shownSelected);
    this.drawPriceLines(selected);
    this.placeTrends(repaint);
  }

  private drawPriceLines(selected: string | null): void {
    const { candles } = this.surface;
    const wanted = new Set<string>();
    for (const drawing of this.shown) {
      if (drawing.kind !== 'horizontal') continue;
      wanted.add(drawing.id);
      const isSelected = drawing.id === selected;
      const color = isSelected ? SELECTED_DRAWING_COLOR : DRAWING_COLOR;
      const kept = this.priceLines.get(drawing.id);
      if (kept === undefined) {
        const line = candles.createPriceLine({
          id: drawing.id,
          price: drawing.price,
          color,
          lineWidth: 2,
          lineStyle: LineStyle.Solid,
          lineVisible: true,
          axisLabelVisible: true,
          title: '',
        });
        this.priceLines.set(drawing.id, { line, price: drawing.price, selected: isSelected });
      } else if (kept.price !== drawing.price || kept.selected !== isSelected) {
        kept.line.applyOptions({ price: drawing.price, color });
        kept.price = drawing.price;
        kept.selected = isSelected;
      }
    }
    for (const [id, { line }] of this.priceLines) {
      if (wanted.has(id)) continue;
      candles.removePriceLine(line);
      this.priceLines.delete(id);
    }
  }

  /** Places the trend lines' ends on the bars held (and asks for a repaint: `repaint`). */
  private placeTrends(repaint: boolean): void {
    this.trendPlaces.clear();
    const bars = this.surface.bars();
    const timeframe = this.surface.timeframe();
    for (const drawing of this.shown) {
      if (drawing.kind !== 'trend') continue;
      const from = drawingLogical(bars, drawing.from.time, timeframe);
      const to = drawingLogical(bars, drawing.to.time, timeframe);
      if (from !== null && to !== null) this.trendPlaces.set(drawing.id, { from, to });
    }
    if (repaint) this.primitive.redraw();
  }

  /** x (pane pixels) of a fractional logical index, or null when the chart has no bars. */
  private x(logical: number): number | null {
    const timeScale = this.surface.chart.timeScale();
    return logicalToX(logical, (index) => timeScale.logicalToCoordinate(index as Logical));
  }

  private screen(logical: number, price: number): ScreenPoint | null {
    const x = this.x(logical);
    const y = this.surface.candles.priceToCoordinate(price);
    return x === null || y === null ? null : { x, y };
  }

  /** The trend lines (and the one being drawn) as segments on screen now. */
  private segments(): ScreenSegment[] {
    const { selected } = this.tools.get();
    const segments: ScreenSegment[] = [];
    for (const drawing of this.shown) {
      const place = this.trendPlaces.get(drawing.id);
      if (drawing.kind !== 'trend' || place === undefined) continue;
      const from = this.screen(place.from, drawing.from.price);
      const to = this.screen(place.to, drawing.to.price);
      if (from === null || to === null) continue;
      const isSelected = drawing.id === selected;
      segments.push({
        from,
        to,
        color: isSelected ? SELECTED_DRAWING_COLOR : DRAWING_COLOR,
        handles: isSelected,
        dashed: false,
      });
    }
    const pending = this.pending;
    if (pending !== null && this.pointer !== null) {
      const logical = drawingLogical(this.surface.bars(), pending.time, this.surface.timeframe());
      const from = logical === null ? null : this.screen(logical, pending.price);
      if (from !== null) {
        segments.push({ from, to: this.pointer, color: DRAWING_COLOR, handles: false, dashed: true });
      }
    }
    return segments;
  }

  /** The shown drawings as they lie on screen now, for selecting by a click. */
  private shapes(): ScreenShape[] {
    const shapes: ScreenShape[] = [];
    for (const drawing of this.shown) {
      if (drawing.kind === 'horizontal') {
        const y = this.surface.candles.priceToCoordinate(drawing.price);
        if (y !== null) shapes.push({ id: drawing.id, kind: 'horizontal', y });
        continue;
      }
      const place = this.trendPlaces.get(drawing.id);
      const from = place && this.screen(place.from, drawing.from.price);
      const to = place && this.screen(place.to, drawing.to.price);
      if (from && to) shapes.push({ id: drawing.id, kind: 'trend', from, to });
    }
    return shapes;
  }

  private hit(point: ScreenPoint): string | null {
    return this.shown.length === 0 ? null : hitDrawing(this.shapes(), point);
  }

  /**
   * The drawing a press at `point` would grab, and which part of it, or null: the selected drawing first
   * (its trend-line handles reach a little beyond the line), else any drawing within the click's tolerance
   * (the nearest), so a press on a drawing not yet selected selects and grabs it at once, as in TradingView.
   */
  private grabAt(point: ScreenPoint): { drawing: Drawing; part: DrawingPart } | null {
    const shapes = this.shapes();
    const grabOf = (id: string | null) => {
      const drawing = this.shown.find((shown) => shown.id === id);
      const shape = drawing && shapes.find((candidate) => candidate.id === drawing.id);
      const part = shape ? grabPart(shape, point) : null;
      return drawing && part ? { drawing, part } : null;
    };
    return grabOf(this.tools.get().selected) ?? grabOf(this.hit(point));
  }

  /**
   * The cursor over (x, y) of the candle pane (asked by the chart as the pointer moves): over a drawing, the
   * cursor of the part a press there grabs (selected or not), else the chart's own (null).
   */
  private hoverCursor(point: ScreenPoint): { id: string; cursor: string } | null {
    if (this.tools.get().tool !== 'none') return null;
    const drag = this.drag;
    if (drag !== null) return { id: drag.moved.id, cursor: grabCursor(drag.moved.kind, drag.part) };
    const grab = this.grabAt(point);
    return grab === null ? null : { id: grab.drawing.id, cursor: grabCursor(grab.drawing.kind, grab.part) };
  }

  /** The moment and price under a point of the candle pane; null off the bars' scale or at no price. */
  private pointAt(point: ScreenPoint): DrawingPoint | null {
    const timeScale = this.surface.chart.timeScale();
    const logical = xToLogical(point.x, timeScale.coordinateToLogical(point.x), (index) =>
      timeScale.logicalToCoordinate(index as Logical),
    );
    const time =
      logical === null ? null : drawingTime(this.surface.bars(), logical, this.surface.timeframe());
    const price = this.priceAt(point.y);
    return time === null || price === null ? null : { time, price };
  }

  /** The price at y, to the symbol's decimals; null where it is not a positive price. */
  private priceAt(y: number): number | null {
    const raw = this.surface.candles.coordinateToPrice(y);
    if (raw === null || !Number.isFinite(raw)) return null;
    const price = Number(raw.toFixed(this.precision()));
    return price > 0 && price <= 1e9 ? price : null;
  }

  /** The decimals of the symbol's prices (the candle series' format). */
  private precision(): number {
    const format = this.surface.candles.options().priceFormat;
    return 'precision' in format && format.precision !== undefined ? format.precision : 2;
  }

  /** The fractional logical index at x (pane pixels); null when the chart has no bars. */
  private logicalAt(x: number): number | null {
    const timeScale = this.surface.chart.timeScale();
    return xToLogical(x, timeScale.coordinateToLogical(x), (index) =>
      timeScale.logicalToCoordinate(index as Logical),
    );
  }

  /**
   * Where a pointer event is on the candle pane (pane pixels, as the chart's crosshair reports them), or
   * null when it is not over that pane's plot (the volume, an axis, outside the chart).
   */
  private candlePanePoint(event: PointerEvent): ScreenPoint | null {
    const { chart } = this.surface;
    const rect = chart.panes()[0]?.getHTMLElement()?.getBoundingClientRect();
    if (rect === undefined) return null;
    const point = {
      x: event.clientX - rect.left - chart.priceScale('left').width(),
      y: event.clientY - rect.top,
    };
    const size = chart.paneSize(0);
    const inside = point.x >= 0 && point.y >= 0 && point.x <= size.width && point.y <= size.height;
    return inside ? point : null;
  }

  /**
   * A press on the chart, heard before the chart's: on a drawing (selected or not) it selects it and starts
   * a drag of it, and the chart's own scrolling and scaling are off until the drag ends (set now, before the
   * chart's drag starts: options changed during the chart's drag would end it). A press and release without
   * moving is then just the click that selects it; a press off every drawing pans the chart as always.
   */
  private readonly onPress = (event: PointerEvent): void => {
    if (this.disposed || this.drag !== null || event.button !== 0) return;
    const symbol = this.shownSymbol;
    if (this.tools.get().tool !== 'none' || symbol === null || this.shown.length === 0) return;
    const point = this.candlePanePoint(event);
    const grab = point === null ? null : this.grabAt(point);
    const logical = point === null ? null : this.logicalAt(point.x);
    const price = point === null ? null : this.surface.candles.coordinateToPrice(point.y);
    if (point === null || grab === null || logical === null || price === null) return;
    // The keys first: the pane that had them lets go of its selection, then this one selects.
    this.takeKeyboard();
    const state = this.tools.get();
    if (state.selected !== grab.drawing.id) this.tools.set({ ...state, selected: grab.drawing.id });
    const { chart } = this.surface;
    // A copy: the chart hands out its own options objects and turning them off changes them in place, so
    // kept by reference they would put back "off" and the chart would never pan or zoom again.
    const options = chart.options(); // Whole, it holds functions (formatters): only these two are copied.
    const { handleScroll, handleScale } = structuredClone({
      handleScroll: options.handleScroll,
      handleScale: options.handleScale,
    });
    chart.applyOptions({ handleScroll: false, handleScale: false });
    this.drag = {
      symbol,
      part: grab.part,
      original: grab.drawing,
      moved: grab.drawing,
      client: { x: event.clientX, y: event.clientY },
      point,
      logical,
      price,
      pointerId: event.pointerId,
      restore: { handleScroll, handleScale },
    };
    this.surface.host.dataset.drawingDrag = grabCursor(grab.drawing.kind, grab.part);
    window.addEventListener('pointermove', this.onDragMove, true);
    window.addEventListener('pointerup', this.onDragEnd, true);
    window.addEventListener('pointercancel', this.onDragCancel, true);
  };

  /** The pointer moved during a drag (anywhere in the window): the drawing follows it. */
  private readonly onDragMove = (event: PointerEvent): void => {
    const drag = this.drag;
    if (drag === null || event.pointerId !== drag.pointerId) return;
    // From the press by the pointer's travel: the pane's own point need not be on the chart any more.
    const point = {
      x: drag.point.x + event.clientX - drag.client.x,
      y: drag.point.y + event.clientY - drag.client.y,
    };
    const logical = this.logicalAt(point.x);
    const price = this.surface.candles.coordinateToPrice(point.y);
    if (logical === null || price === null || !Number.isFinite(price)) return;
    const delta = { bars: barDelta(drag.logical, logical), price: price - drag.price };
    const pane = {
      bars: this.surface.bars(),
      timeframe: this.surface.timeframe(),
      precision: this.precision(),
    };
    const moved = moveDrawing(drag.original, drag.part, delta, pane);
    if (samePlace(moved, drag.moved)) return;
    drag.moved = moved;
    this.refresh();
  };

  private readonly onDragEnd = (event: PointerEvent): void => {
    if (this.drag !== null && event.pointerId === this.drag.pointerId) this.endDrag(true);
  };

  private readonly onDragCancel = (event: PointerEvent): void => {
    if (this.drag !== null && event.pointerId === this.drag.pointerId) this.endDrag(false);
  };

  /** Ends a drag: `keep` saves the drawing where it was moved to, else it goes back where it was. */
  private endDrag(keep: boolean): void {
    const drag = this.drag;
    if (drag === null) return;
    this.drag = null;
    window.removeEventListener('pointermove', this.onDragMove, true);
    window.removeEventListener('pointerup', this.onDragEnd, true);
    window.removeEventListener('pointercancel', this.onDragCancel, true);
    delete this.surface.host.dataset.drawingDrag;
    this.surface.chart.applyOptions(drag.restore as Parameters<IChartApi['applyOptions']>[0]);
    if (keep && !samePlace(drag.moved, drag.original)) {
      // Shown where it was put at once, not after the workspace's round trip (the old place would flash).
      this.drawings = this.drawings.map((drawing) => (drawing.id === drag.moved.id ? drag.moved : drawing));
      this.actions.replace(drag.symbol, drag.moved);
    }
    if (!this.disposed) this.refresh();
  }

  /**
   * A click on the chart, not the end of a drag. Heard on the element rather than through the chart's
   * subscribeClick: the chart drops a second click within its double-click time when it lands 5 px or more
   * from the first, which is how a quick trend line is drawn. Where the click was comes from the chart's
   * crosshair, which follows the pointer (pane coordinates and which pane).
   */
  private readonly onClick = (event: MouseEvent): void => {
    const down = this.downAt;
    this.downAt = null;
    if (this.disposed || event.button !== 0) return;
    if (down !== null && Math.hypot(event.clientX - down.x, event.clientY - down.y) > DRAG_PX) return;
    const at = this.hover;
    this.takeKeyboard();
    const symbol = this.shownSymbol;
    const state = this.tools.get();
    // Only the candle pane has prices to draw at; a click elsewhere (volume, indicators, axes) deselects.
    const point = at !== null && at.pane === 0 ? at.point : null;
    if (state.tool === 'none' || symbol === null || point === null) {
      const selected = point === null ? null : this.hit(point);
      if (selected !== state.selected) this.tools.set({ ...state, selected });
      return;
    }
    if (state.tool === 'horizontal') {
      const price = this.priceAt(point.y);
      if (price === null) return;
      this.actions.add(symbol, { id: newDrawingId(), kind: 'horizontal', price });
      this.tools.set({ tool: 'none', selected: null });
      return;
    }
    const end = this.pointAt(point);
    if (end === null) return;
    if (this.pending === null) {
      this.pending = end;
      this.pointer = point;
      this.primitive.redraw();
      return;
    }
    const from = this.pending;
    if (from.time === end.time && from.price === end.price) return; // A second click on the first point.
    this.pending = null;
    this.actions.add(symbol, { id: newDrawingId(), kind: 'trend', from, to: end });
    this.tools.set({ tool: 'none', selected: null });
  };

  private readonly onPointerDown = (event: PointerEvent): void => {
    this.downAt = { x: event.clientX, y: event.clientY };
  };

  /**
   * The chart's crosshair moved: the pointer's own moves carry their mouse event; a linked pane's moves
   * (setCrosshairPosition) do not, and say nothing of this pointer.
   */
  private readonly onPointerMove = (param: MouseEventParams<Time>): void => {
    if (param.sourceEvent === undefined && param.point !== undefined) return;
    this.hover = param.point === undefined ? null : { point: param.point, pane: param.paneIndex ?? 0 };
    this.movePointer();
  };

  /** The rubber band of a trend line being drawn follows the pointer over the candle pane. */
  private movePointer(): void {
    if (this.pending === null) return;
    this.pointer = this.hover?.pane === 0 ? this.hover.point : null;
    this.primitive.redraw();
  }

  private readonly onPointerLeave = (): void => {
    this.hover = null;
    this.movePointer();
  };

  private readonly onToolsChange = (): void => {
    if (this.disposed) return;
    const { tool } = this.tools.get();
    if (tool !== 'none') this.takeKeyboard();
    if (tool !== 'trend' && this.pending !== null) {
      this.pending = null;
      this.pointer = null;
    }
    // The stylesheet shows a crosshair cursor over a chart with a tool picked.
    if (tool === 'none') delete this.surface.host.dataset.drawingTool;
    else this.surface.host.dataset.drawingTool = tool;
    this.refresh();
  };

  /** This pane gets the keys; the pane that had them lets go of its selection (Delete would not reach it). */
  private takeKeyboard(): void {
    const previous = keyboard.owner;
    if (previous === this) return;
    keyboard.owner = this;
    previous?.letGoOfKeyboard();
  }

  private letGoOfKeyboard(): void {
    const state = this.tools.get();
    if (state.selected !== null || state.tool !== 'none') this.tools.set({ tool: 'none', selected: null });
  }

  private readonly onKey = (event: KeyboardEvent): void => {
    if (this.drag !== null && event.key === 'Escape') {
      // Esc during a drag puts the drawing back; it stays selected.
      event.preventDefault();
      this.endDrag(false);
      return;
    }
    if (keyboard.owner !== this || event.defaultPrevented) return;
    const state = this.tools.get();
    if (event.key === 'Escape') {
      if (state.tool !== 'none') this.tools.set({ ...state, tool: 'none' });
      else if (state.selected !== null) this.tools.set({ ...state, selected: null });
      return;
    }
    if ((event.key === 'Delete' || event.key === 'Backspace') && state.selected !== null) {
      if (isEditable(event.target) || this.shownSymbol === null) return;
      event.preventDefault();
      this.actions.remove(this.shownSymbol, state.selected);
      this.tools.set({ ...state, selected: null });
    }
  };
}

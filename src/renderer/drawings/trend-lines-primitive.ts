/**
 * Trend lines on the candle pane's canvas: a series primitive (lightweight-charts 5's plugin API, after
 * the library's plugin-examples trend-line) that draws segments it is handed in CSS pixels. The chart asks
 * for fresh positions (`updateAllViews`) before every repaint, so lines follow panning, zoom and resizes;
 * where they are comes from `place`, the drawing layer's mapping of moments and prices to pixels.
 */
import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  PrimitiveHoveredItem,
  SeriesAttachedParameter,
  Time,
} from 'lightweight-charts';
import type { ScreenPoint } from './drawing-geometry';

type CanvasTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

/** One segment to draw, in CSS pixels of the pane. */
export interface ScreenSegment {
  from: ScreenPoint;
  to: ScreenPoint;
  color: string;
  /** The selected drawing shows handles at its ends; the rubber band (a line being drawn) is dashed. */
  handles: boolean;
  dashed: boolean;
}

/** Line width in CSS pixels. */
const LINE_WIDTH = 2;
const HANDLE_RADIUS = 4;

class SegmentsRenderer implements IPrimitivePaneRenderer {
  segments: readonly ScreenSegment[] = [];

  draw(target: CanvasTarget): void {
    if (this.segments.length === 0) return;
    target.useBitmapCoordinateSpace(({ context, horizontalPixelRatio: hr, verticalPixelRatio: vr }) => {
      context.save();
      context.lineWidth = Math.max(1, Math.round(LINE_WIDTH * hr));
      context.lineCap = 'butt';
      for (const segment of this.segments) {
        context.strokeStyle = segment.color;
        context.setLineDash(segment.dashed ? [6 * hr, 4 * hr] : []);
        context.beginPath();
        context.moveTo(segment.from.x * hr, segment.from.y * vr);
        context.lineTo(segment.to.x * hr, segment.to.y * vr);
        context.stroke();
        if (!segment.handles) continue;
        context.fillStyle = segment.color;
        for (const end of [segment.from, segment.to]) {
          context.beginPath();
          context.arc(end.x * hr, end.y * vr, HANDLE_RADIUS * hr, 0, 2 * Math.PI);
          context.fill();
        }
      }
      context.restore();
    });
  }
}

class SegmentsView implements IPrimitivePaneView {
  readonly drawer = new SegmentsRenderer();
  renderer(): IPrimitivePaneRenderer {
    return this.drawer;
  }
}

export class TrendLinesPrimitive implements ISeriesPrimitive<Time> {
  private readonly view = new SegmentsView();
  private readonly views = [this.view] as const;
  private requestUpdate: (() => void) | null = null;

  /**
   * @param place the segments to draw now (CSS pixels), asked before each repaint
   * @param hit the drawing near a pointer at (x, y) and the cursor to show there (CSS), or null
   */
  constructor(
    private readonly place: () => readonly ScreenSegment[],
    private readonly hit: (x: number, y: number) => { id: string; cursor: string } | null,
  ) {}

  attached(param: SeriesAttachedParameter<Time>): void {
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.requestUpdate = null;
  }

  /** Asks the chart to repaint (the drawings or the pointer changed). */
  redraw(): void {
    this.requestUpdate?.();
  }

  updateAllViews(): void {
    this.view.drawer.segments = this.place();
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  hitTest(x: number, y: number): PrimitiveHoveredItem | null {
    const hit = this.hit(x, y);
    return hit === null ? null : { externalId: hit.id, zOrder: 'normal', cursorStyle: hit.cursor };
  }
}

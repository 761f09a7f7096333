/**
 * The legend over a chart's top-left (TradingView's place for it; it wraps within the pane's width):
 * symbol, timeframe and the OHLC + volume of the newest bar, or of the bar under the crosshair while the
 * pointer is over the chart, with its change from the previous bar's close (as TradingView reads it; none
 * for the first bar held). Its data attributes describe the series itself (what the end-to-end tests
 * read), except data-hovered and data-change, which describe the bar shown.
 */
import type { Timeframe } from '../../shared/domain';
import { directionColor, type ChartSnapshot, type LegendBar } from '../charts/candle-chart';
import { barChange } from '../charts/legend-bar';
import { formatPrice, formatSignedPercent, formatSignedPrice, formatVolume } from '../status/format';
import { formatBarStart } from '../time/exchange-time';

interface ChartLegendProps {
  symbol: string | null;
  timeframe: Timeframe;
  snapshot: ChartSnapshot;
}

function Field({ label, children, color }: { label: string; children: string; color?: string }) {
  return (
    <span className="legend-field">
      <span className="legend-label">{label}</span>
      <span className="legend-value" style={color ? { color } : undefined}>
        {children}
      </span>
    </span>
  );
}

function BarValues({
  bar,
  precision,
  timeframe,
}: {
  bar: LegendBar;
  precision: number;
  timeframe: Timeframe;
}) {
  const color = directionColor(bar);
  const change = barChange(bar);
  // The change is coloured by its own sign (up or down from the previous close), not by the candle.
  const changeColor =
    change !== null ? directionColor({ open: bar.previousClose ?? bar.close, close: bar.close }) : undefined;
  return (
    <>
      <Field label="O" color={color}>
        {formatPrice(bar.open, precision)}
      </Field>
      <Field label="H" color={color}>
        {formatPrice(bar.high, precision)}
      </Field>
      <Field label="L" color={color}>
        {formatPrice(bar.low, precision)}
      </Field>
      <Field label="C" color={color}>
        {formatPrice(bar.close, precision)}
      </Field>
      {change !== null ? (
        // The percentage alone keeps a pane's legend short enough for volume and time; the amount is
        // in its title (the legend lets the pointer through to the chart, so it is not a hover tooltip).
        <span
          className="legend-value legend-change"
          data-testid="legend-change"
          style={{ color: changeColor }}
          title={`${formatSignedPrice(change.amount, precision)} from the previous bar's close`}
        >
          {formatSignedPercent(change.fraction)}
        </span>
      ) : null}
      <Field label="V">{formatVolume(bar.volume)}</Field>
      <span className="legend-time">{formatBarStart(bar.start, timeframe)}</span>
    </>
  );
}

export function ChartLegend({ symbol, timeframe, snapshot }: ChartLegendProps) {
  const shown = snapshot.hovered ?? snapshot.lastBar;
  return (
    <div
      className="chart-legend"
      data-testid="chart-legend"
      data-symbol={snapshot.symbol ?? symbol ?? ''}
      data-bar-count={String(snapshot.barCount)}
      data-last-start={snapshot.lastBar ? String(Math.trunc(snapshot.lastBar.start)) : ''}
      data-oldest-start={snapshot.oldestStart !== null ? String(snapshot.oldestStart) : ''}
      data-history={snapshot.history}
      data-hovered={snapshot.hovered ? 'true' : 'false'}
    >
      <span className="legend-symbol">{symbol ?? '—'}</span>
      <span className="legend-timeframe">{timeframe}</span>
      {shown ? <BarValues bar={shown} precision={snapshot.precision} timeframe={timeframe} /> : null}
    </div>
  );
}

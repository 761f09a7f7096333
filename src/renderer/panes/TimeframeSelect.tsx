import { TIMEFRAMES, type Timeframe } from '../../shared/domain';

const isTimeframe = (value: string): value is Timeframe => (TIMEFRAMES as readonly string[]).includes(value);

export function TimeframeSelect({
  value,
  onChange,
}: {
  value: Timeframe;
  onChange: (next: Timeframe) => void;
}) {
  return (
    <select
      className="timeframe-select"
      data-testid="timeframe-select"
      aria-label="Timeframe"
      value={value}
      onChange={(event) => {
        if (isTimeframe(event.target.value)) onChange(event.target.value);
      }}
    >
      {TIMEFRAMES.map((timeframe) => (
        <option key={timeframe} value={timeframe}>
          {timeframe}
        </option>
      ))}
    </select>
  );
}

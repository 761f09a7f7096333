import type { SymbolInfo } from '../../shared/domain';

interface SymbolPickerProps {
  symbols: readonly SymbolInfo[];
  value: string | null;
  onChange: (symbol: string) => void;
}

export function SymbolPicker({ symbols, value, onChange }: SymbolPickerProps) {
  return (
    <select
      className="symbol-picker"
      data-testid="symbol-picker"
      aria-label="Symbol"
      value={value ?? ''}
      disabled={symbols.length === 0}
      onChange={(event) => onChange(event.target.value)}
    >
      {symbols.length === 0 ? <option value="">No symbols</option> : null}
      {symbols.map((info) => (
        <option key={info.symbol} value={info.symbol}>
          {info.name === info.symbol ? info.symbol : `${info.symbol} — ${info.name}`}
        </option>
      ))}
    </select>
  );
}

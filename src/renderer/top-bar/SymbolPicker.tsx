/**
 * The top bar's symbol: a search box over everything the engine knows (the feed's symbols, every symbol
 * with stored bars, the broker's asset list; symbols/SymbolSearch.tsx), and beside it a short list of the
 * feed's symbols (`data-testid="symbol-picker"`, a select whose value is the chosen symbol) for a quick pick,
 * and the switch that links the panes' crosshairs (workspace.linkCrosshair; panes/use-crosshair-link.ts).
 */
import type { SymbolInfo } from '../../shared/domain';
import { ChainIcon } from '../panes/PaneSymbolSelect';
import { SymbolSearch } from '../symbols/SymbolSearch';
import { useWorkspaceControl } from '../workspace/workspace-context';

interface SymbolPickerProps {
  /** The feed's symbols. */
  symbols: readonly SymbolInfo[];
  value: string | null;
  onChange: (symbol: string) => void;
}

export function SymbolPicker({ symbols, value, onChange }: SymbolPickerProps) {
  // A chosen symbol the feed does not serve (stored history, a broker asset) stays selectable and shown.
  const chosenOffFeed = value !== null && !symbols.some((info) => info.symbol === value);
  const { workspace, change } = useWorkspaceControl();
  const linkCrosshair = workspace.linkCrosshair;
  return (
    <div className="symbol-picker-group">
      <SymbolSearch
        value={value}
        onChoose={onChange}
        testId="symbol-search"
        label="Search symbols"
        placeholder="Search symbol"
        className="top-bar-search"
      />
      <select
        className="symbol-picker"
        data-testid="symbol-picker"
        aria-label="The feed's symbols"
        title="The feed's symbols"
        value={value ?? ''}
        disabled={symbols.length === 0 && value === null}
        onChange={(event) => onChange(event.target.value)}
      >
        {symbols.length === 0 && value === null ? <option value="">No symbols</option> : null}
        {chosenOffFeed ? <option value={value}>{value} (no live data)</option> : null}
        {symbols.map((info) => (
          <option key={info.symbol} value={info.symbol}>
            {info.name === info.symbol ? info.symbol : `${info.symbol} — ${info.name}`}
          </option>
        ))}
      </select>
      <button
        type="button"
        className={`link-crosshair${linkCrosshair ? ' on' : ''}`}
        data-testid="link-crosshair"
        aria-pressed={linkCrosshair}
        aria-label="Link the panes' crosshairs"
        title={
          linkCrosshair
            ? 'Crosshairs linked: pointing at a moment in one pane shows it in the others. Double-click a pane to bring its moment into view everywhere. Click to unlink.'
            : 'Crosshairs not linked: click to show the moment under the pointer in every pane.'
        }
        onClick={() => change((w) => ({ ...w, linkCrosshair: !w.linkCrosshair }))}
      >
        <ChainIcon broken={!linkCrosshair} />
      </button>
    </div>
  );
}

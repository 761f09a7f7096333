/**
 * The pane header's symbol choice: follow the window's (linked) symbol, or a symbol of the pane's own,
 * chosen with the same search box as the top bar's. A chain badge says which: lit while the pane follows
 * the top bar; broken (amber) while it shows its own symbol. Clicking the badge links a pane back, or gives
 * a linked pane its own symbol (the one it shows now, to change in the search box).
 */
import { SymbolSearch } from '../symbols/SymbolSearch';

/** Two chain links; `broken`: pulled apart with a gap (the pane has its own symbol). */
export function ChainIcon({ broken = false }: { broken?: boolean }) {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 16 16"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
    >
      {broken ? (
        <>
          <path d="M6.5 3.5 5 2a2.5 2.5 0 0 0-3.5 3.5L3 7" />
          <path d="M9.5 12.5 11 14a2.5 2.5 0 0 0 3.5-3.5L13 9" />
          <path d="M2 11l2-1M11 2l-1 2" />
        </>
      ) : (
        <>
          <path d="M7 9a2.5 2.5 0 0 0 3.5 0l3-3A2.5 2.5 0 0 0 10 2.5L8.8 3.7" />
          <path d="M9 7a2.5 2.5 0 0 0-3.5 0l-3 3A2.5 2.5 0 0 0 6 13.5l1.2-1.2" />
        </>
      )}
    </svg>
  );
}

export function PaneSymbolSelect({
  value,
  linkedSymbol,
  onChange,
}: {
  /** The pane's own symbol; null: linked. */
  value: string | null;
  linkedSymbol: string | null;
  onChange: (symbol: string | null) => void;
}) {
  const linked = value === null;
  const shown = value ?? linkedSymbol;
  return (
    <div
      className={`pane-symbol${linked ? ' linked' : ' own'}`}
      data-testid="pane-symbol"
      data-linked={linked ? 'true' : 'false'}
    >
      <button
        type="button"
        className="pane-link-badge"
        data-testid="pane-link"
        aria-pressed={linked}
        title={
          linked
            ? 'Linked: this pane follows the top bar’s symbol. Click to give it a symbol of its own.'
            : `Own symbol ${value}: click to link this pane to the top bar’s symbol${linkedSymbol ? ` (${linkedSymbol})` : ''} again.`
        }
        onClick={() => {
          if (linked) {
            if (linkedSymbol !== null) onChange(linkedSymbol);
          } else onChange(null);
        }}
      >
        <ChainIcon broken={!linked} />
      </button>
      <SymbolSearch
        value={shown}
        onChoose={(symbol) => onChange(symbol)}
        testId="pane-symbol-search"
        label="This pane's symbol"
        placeholder="Symbol"
        className="pane-search"
        leading={[
          {
            id: 'linked',
            label: 'Linked',
            detail: `Follow the top bar${linkedSymbol ? ` (${linkedSymbol})` : ''}`,
            choose: () => onChange(null),
          },
        ]}
      />
    </div>
  );
}

/**
 * The pane header's symbol choice: follow the window's (linked) symbol, or a symbol of the pane's own.
 * STUB: issue 16 fills it in.
 */
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
  void value;
  void linkedSymbol;
  void onChange;
  return null;
}

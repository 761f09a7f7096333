/** The trader's screen: top bar, a 2x2 grid of charts on one symbol, and the status bar. */
import { useEffect, useState } from 'react';
import { LinkProblemBanner } from './LinkProblemBanner';
import { useConnection, useLinkProblem } from './engine/engine-context';
import { useEngineStatus } from './engine/use-engine-status';
import { useProtocolErrors } from './engine/use-protocol-errors';
import { useSymbols } from './engine/use-symbols';
import { ChartGrid } from './panes/ChartGrid';
import { StatusBar } from './status/StatusBar';
import { TopBar } from './top-bar/TopBar';

export function App() {
  const connection = useConnection();
  const problem = useLinkProblem();
  const status = useEngineStatus();
  const protocolErrors = useProtocolErrors();
  const { symbols, error: symbolsError } = useSymbols();
  const [chosen, setChosen] = useState<string | null>(null);
  // The chosen symbol while the feed still serves it, else the feed's first.
  const symbol = symbols.some((info) => info.symbol === chosen) ? chosen : (symbols[0]?.symbol ?? null);

  // On <body> only (exactly one element carries it), so tests and styles find it from anywhere.
  useEffect(() => {
    document.body.dataset.connectionState = connection.state;
  }, [connection.state]);

  return (
    <div className="app">
      <TopBar
        status={status}
        symbols={symbols}
        symbolsError={symbolsError}
        symbol={symbol}
        onSymbolChange={setChosen}
        stale={connection.state !== 'open'}
      />
      {problem ? <LinkProblemBanner problem={problem} /> : null}
      <ChartGrid symbol={symbol} />
      <StatusBar connection={connection.state} status={status} protocolErrors={protocolErrors} />
    </div>
  );
}

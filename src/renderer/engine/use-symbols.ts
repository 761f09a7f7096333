/**
 * The symbols the feed serves (`market.symbols`), fetched each time the link opens and each time
 * `dataVersion` changes (an import may have added symbols).
 */
import { useEffect, useState } from 'react';
import type { SymbolInfo } from '../../shared/domain';
import { useConnection, useEngineClient } from './engine-context';

export interface SymbolsState {
  symbols: readonly SymbolInfo[];
  error: string | null;
}

export function useSymbols(dataVersion = 0): SymbolsState {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const [state, setState] = useState<SymbolsState>({ symbols: [], error: null });

  useEffect(() => {
    if (linkEpoch === 0) return;
    let cancelled = false;
    client.call('market.symbols', {}).then(
      (symbols) => {
        if (!cancelled) setState({ symbols, error: null });
      },
      (error: unknown) => {
        // Keep the last good list: the picker stays usable while the link recovers.
        if (!cancelled)
          setState((previous) => ({
            ...previous,
            error: error instanceof Error ? error.message : String(error),
          }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, linkEpoch, dataVersion]);

  return state;
}

/**
 * Asks the engine for the symbols matching what the trader types (`market.searchSymbols`: the feed's
 * symbols, every symbol with stored bars, the broker's asset list), while a search box is open. Queries
 * are sent SEARCH_DELAY_MS after the last keystroke; an answer to an older query never replaces a newer one.
 */
import { useEffect, useState } from 'react';
import type { SymbolMatch } from '../../shared/api/market';
import { useEngineClient } from '../engine/engine-context';

/** Wall ms between the last keystroke and the search. */
export const SEARCH_DELAY_MS = 80;
/** Matches shown at most. */
export const SEARCH_LIMIT = 30;

export interface SymbolSearchState {
  /** The matches of `query` (those of the last answered query while a newer one is on its way). */
  matches: readonly SymbolMatch[];
  /** The query the matches answer; null before the first answer. */
  answered: string | null;
  error: string | null;
}

export function useSymbolSearch(query: string, open: boolean): SymbolSearchState {
  const client = useEngineClient();
  const [state, setState] = useState<SymbolSearchState>({ matches: [], answered: null, error: null });

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      client.call('market.searchSymbols', { query: query.trim().slice(0, 64), limit: SEARCH_LIMIT }).then(
        (matches) => {
          if (!cancelled) setState({ matches, answered: query, error: null });
        },
        (error: unknown) => {
          if (!cancelled)
            setState((previous) => ({
              ...previous,
              error: `Symbol search failed: ${error instanceof Error ? error.message : String(error)}`,
            }));
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, query, open]);

  return state;
}

/**
 * Everything the news panel shares with the rest of the window: the filter the trader chose, the news
 * under it (use-news.ts), and whether the panel is folded away (kept in the workspace). App.tsx holds one; the
 * status line of news (`news.status`) is asked from its arrivals.
 */
import { useState } from 'react';
import { filterSymbol, type NewsFilter } from './news-list';
import { useNews, type NewsState } from './use-news';
import { useFoldedFlagOf } from '../panels/use-folded-flag';
import type { WorkspaceControl } from '../workspace/use-workspace';

export interface NewsPanelState {
  filter: NewsFilter;
  readonly setFilter: (filter: NewsFilter) => void;
  /** The symbol the filter selects now (null: all news). */
  symbol: string | null;
  /** The symbol on screen, for the filter's "on screen" choice. */
  screenSymbol: string | null;
  news: NewsState;
  folded: boolean;
  readonly setFolded: (folded: boolean) => void;
}

/**
 * @param screenSymbol the symbol the charts show
 * @param reloadKey changes when the engine's history changed wholesale (an import, a replay seek)
 * @param workspace where the panel's folding is kept
 */
export function useNewsPanel(
  screenSymbol: string | null,
  reloadKey: string,
  workspace: WorkspaceControl,
): NewsPanelState {
  const [filter, setFilter] = useState<NewsFilter>({ kind: 'all' });
  const [folded, setFolded] = useFoldedFlagOf(workspace, 'news');
  const symbol = filterSymbol(filter, screenSymbol);
  const news = useNews(symbol, reloadKey);
  return { filter, setFilter, symbol, screenSymbol, news, folded, setFolded };
}

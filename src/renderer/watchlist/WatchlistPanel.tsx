/**
 * The watchlist (top of the right column, above the strategy and meta panels, as TradingView keeps it at the
 * top of its right sidebar): symbols the trader keeps an eye on, each with its last price and change from
 * the previous session's close, coloured up or down and updating live for the symbols the feed serves.
 * Compact: about six rows show, more scroll inside the list. Symbols are added with the search box
 * (anything the engine knows) and removed with ×; a click on a row makes it the linked symbol (the top
 * bar's, followed by linked panes). Kept in the workspace (`watchlist`, folded with `folded.watchlist`).
 * A workspace that never set a list shows the feed's first symbols (watched-symbols.ts); a list the trader
 * emptied stays empty and offers them again with one button.
 */
import { useEffect, useRef, useState } from 'react';
import type { SymbolInfo } from '../../shared/domain';
import { useFoldedFlagOf } from '../panels/use-folded-flag';
import { formatPrice, formatSignedPercent } from '../status/format';
import { SymbolSearch } from '../symbols/SymbolSearch';
import { useWorkspaceControl } from '../workspace/workspace-context';
import { useWatchQuotes } from './use-watch-quotes';
import { quoteChange } from './watch-quote';
import { feedFirst, watchedSymbols, withAdded } from './watched-symbols';

const precisionFor = (price: number): number => (price >= 1 ? 2 : price >= 0.01 ? 4 : 6);

/** How long (ms) a symbol just added (or chosen again) stays highlighted. */
export const JUST_ADDED_MS = 1500;

export function WatchlistPanel({
  feedSymbols,
  reloadKey,
}: {
  /** The feed's symbols (live data comes for these). */
  feedSymbols: readonly SymbolInfo[];
  /** Changes when the stored history changed (an import, a replay seek): the quotes load again. */
  reloadKey: string;
}) {
  const control = useWorkspaceControl();
  const { workspace, change, setSymbol } = control;
  // Nothing until the kept workspace is known (the defaults' feed list would show, then jump to the kept
  // one), nor while a never-set list waits for the feed's symbols.
  const loading = !control.ready || (workspace.watchlist === undefined && feedSymbols.length === 0);
  const watchlist = control.ready ? watchedSymbols(workspace.watchlist, feedSymbols) : [];
  const [folded, setFolded] = useFoldedFlagOf(control, 'watchlist');
  const live = new Set(feedSymbols.map((info) => info.symbol));
  const quotes = useWatchQuotes(folded ? [] : watchlist, live, reloadKey);
  const suggested = feedFirst(feedSymbols);

  // The first change sets the list: the one shown (the feed's first, while never set) with the change.
  const setWatchlist = (update: (list: readonly string[]) => string[]): void =>
    change((w) => ({ ...w, watchlist: update(watchedSymbols(w.watchlist, feedSymbols)) }));
  const add = (symbols: readonly string[]): void => setWatchlist((list) => withAdded(list, symbols));

  // A symbol added from the search lands at the bottom of a list that scrolls inside itself: once its row
  // is there, it is scrolled into view and highlighted for a moment (one already listed is shown the same
  // way), so the trader sees where it went.
  const rowsRef = useRef<HTMLUListElement>(null);
  /** The symbol chosen in the search whose row is still to be shown. */
  const [pending, setPending] = useState<string | null>(null);
  const [justAdded, setJustAdded] = useState<string | null>(null);
  const listed = watchlist.join(',');
  useEffect(() => {
    if (pending === null) return;
    const rowOf = rowsRef.current?.querySelector(`[data-symbol="${CSS.escape(pending)}"]`);
    if (!rowOf) return; // not in the list yet: the workspace change is on its way
    rowOf.scrollIntoView({ block: 'nearest' });
    setPending(null);
    setJustAdded(pending);
  }, [pending, listed]);
  useEffect(() => {
    if (justAdded === null) return;
    const timer = setTimeout(() => setJustAdded(null), JUST_ADDED_MS);
    return () => clearTimeout(timer);
  }, [justAdded]);
  const chooseToAdd = (symbol: string): void => {
    setPending(symbol);
    add([symbol]);
  };

  return (
    <section
      className={`watchlist${folded ? ' folded' : ''}`}
      data-testid="watchlist"
      data-folded={folded ? 'true' : 'false'}
      aria-label="Watchlist"
    >
      <header className="watchlist-header">
        <button
          type="button"
          className="watchlist-fold"
          data-testid="watchlist-fold"
          aria-expanded={!folded}
          title={folded ? 'Show the watchlist' : 'Fold the watchlist away'}
          onClick={() => setFolded(!folded)}
        >
          <span aria-hidden="true">{folded ? '▸' : '▾'}</span> Watchlist
          {watchlist.length > 0 ? <span className="watchlist-count">{watchlist.length}</span> : null}
        </button>
      </header>
      {folded ? null : (
        <>
          <SymbolSearch
            value={null}
            onChoose={chooseToAdd}
            testId="watchlist-add"
            label="Add a symbol to the watchlist"
            placeholder="Add symbol…"
            className="watchlist-search"
          />
          {loading ? (
            <div className="watchlist-empty" data-testid="watchlist-loading">
              Waiting for the symbol list…
            </div>
          ) : watchlist.length === 0 ? (
            <div className="watchlist-empty">
              <span>No symbols watched yet.</span>
              {suggested.length > 0 ? (
                <button type="button" data-testid="watchlist-suggest" onClick={() => add(suggested)}>
                  Add {suggested.slice(0, 3).join(', ')}
                  {suggested.length > 3 ? '…' : ''}
                </button>
              ) : null}
            </div>
          ) : (
            <ul className="watchlist-rows" ref={rowsRef}>
              {watchlist.map((symbol) => {
                const quote = quotes.get(symbol);
                const changeNow = quote ? quoteChange(quote) : null;
                const direction =
                  changeNow === null
                    ? 'flat'
                    : changeNow.amount > 0
                      ? 'up'
                      : changeNow.amount < 0
                        ? 'down'
                        : 'flat';
                const current = symbol === workspace.symbol;
                return (
                  <li
                    key={symbol}
                    className={`watchlist-row ${direction}${current ? ' current' : ''}${symbol === justAdded ? ' just-added' : ''}`}
                    data-testid="watchlist-row"
                    data-symbol={symbol}
                    data-direction={direction}
                    data-last={quote?.last ?? ''}
                    data-change={changeNow === null ? '' : changeNow.fraction.toFixed(6)}
                    data-just-added={symbol === justAdded ? 'true' : undefined}
                  >
                    <button
                      type="button"
                      className="watchlist-pick"
                      aria-current={current ? 'true' : undefined}
                      title={`Show ${symbol} in the linked panes`}
                      onClick={() => setSymbol(symbol)}
                    >
                      <span className="watchlist-symbol">{symbol}</span>
                      {live.has(symbol) ? null : (
                        <span
                          className="watchlist-stale"
                          title="The feed does not serve this symbol: stored bars only"
                        >
                          no live data
                        </span>
                      )}
                      <span className="watchlist-last" data-testid="watchlist-last">
                        {quote === undefined || quote.last === null
                          ? '—'
                          : formatPrice(quote.last, precisionFor(quote.last))}
                      </span>
                      <span className="watchlist-change" data-testid="watchlist-change">
                        {changeNow === null ? '—' : formatSignedPercent(changeNow.fraction)}
                      </span>
                    </button>
                    <button
                      type="button"
                      className="watchlist-remove"
                      data-testid="watchlist-remove"
                      aria-label={`Remove ${symbol} from the watchlist`}
                      title={`Remove ${symbol}`}
                      onClick={() => setWatchlist((list) => list.filter((s) => s !== symbol))}
                    >
                      ×
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/**
 * A symbol search box (the top bar's symbol, a pane's own symbol, the watchlist's add): shows the current
 * symbol; on focus it empties for typing and lists the matches from the engine (feed, store, broker) in a
 * listbox under it. ↑/↓ move, Enter or a click chooses (Enter before the matches came: the best match of
 * what is typed, once the engine answers), Esc (or leaving the box) restores the symbol shown before. Symbols without live data say where they come from and that no live data comes for them.
 */
import { useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { SymbolMatch } from '../../shared/api/market';
import { useEngineClient } from '../engine/engine-context';
import { useSymbolSearch } from './use-symbol-search';

/** An entry listed above the matches while nothing is typed (a pane's "Linked"). */
export interface SearchAction {
  id: string;
  label: string;
  detail?: string;
  choose: () => void;
}

interface SymbolSearchProps {
  /** The symbol shown while the box is closed; null: the placeholder. */
  value: string | null;
  onChoose: (symbol: string, match: SymbolMatch) => void;
  /** data-testid of the input. */
  testId: string;
  label: string;
  placeholder?: string;
  leading?: readonly SearchAction[];
  className?: string;
  /** Shown in the box while closed instead of `value` (a pane's "SPY (linked)"): the value stays `value`. */
  display?: string;
}

/** What a match's badge says: where the symbol comes from, and whether live data comes for it. */
export function sourceLabel(match: Pick<SymbolMatch, 'source' | 'live'>): string {
  if (match.live) return 'live';
  return match.source === 'broker' ? 'broker · no live data' : 'stored · no live data';
}

type Item = { kind: 'action'; action: SearchAction } | { kind: 'match'; match: SymbolMatch };

export function SymbolSearch({
  value,
  onChoose,
  testId,
  label,
  placeholder = 'Symbol',
  leading = [],
  className = '',
  display,
}: SymbolSearchProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const search = useSymbolSearch(query, open);
  const client = useEngineClient();
  const typed = query.trim() !== '';
  // Until the answer to what is typed arrives, an older answer would pick the wrong symbol on Enter.
  const current = search.answered === query;
  const items: Item[] = [
    ...(typed ? [] : leading.map((action): Item => ({ kind: 'action', action }))),
    ...(current || !typed ? search.matches.map((match): Item => ({ kind: 'match', match })) : []),
  ];
  const activeIndex = Math.min(active, Math.max(0, items.length - 1));

  const close = (): void => {
    setOpen(false);
    setQuery('');
    setActive(0);
  };
  const choose = (item: Item): void => {
    close();
    inputRef.current?.blur();
    if (item.kind === 'action') item.action.choose();
    else onChoose(item.match.symbol, item.match);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (items.length === 0 ? 0 : (index + step + items.length) % items.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const item = items[activeIndex];
      if (item !== undefined) choose(item);
      else if (typed && !current) {
        // Typed faster than the search answered: take the best match of what is typed once it comes.
        const typedQuery = query.trim().slice(0, 64);
        close();
        inputRef.current?.blur();
        client.call('market.searchSymbols', { query: typedQuery, limit: 1 }).then(
          ([best]) => {
            if (best !== undefined) onChoose(best.symbol, best);
          },
          () => {},
        );
      }
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
      inputRef.current?.blur();
    }
  };

  const optionId = (index: number): string => `${listId}-${index}`;
  return (
    <div className={`symbol-search ${className}`} data-open={open ? 'true' : 'false'}>
      <input
        ref={inputRef}
        className="symbol-search-input"
        data-testid={testId}
        role="combobox"
        aria-label={label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && items.length > 0 ? optionId(activeIndex) : undefined}
        spellCheck={false}
        autoComplete="off"
        placeholder={open ? (value ?? placeholder) : placeholder}
        value={open ? query : (display ?? value ?? '')}
        data-value={value ?? ''}
        onFocus={() => {
          setOpen(true);
          setQuery('');
          setActive(0);
        }}
        onBlur={close}
        onChange={(event) => {
          setQuery(event.target.value.toUpperCase());
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      {open ? (
        <ul className="symbol-search-list" role="listbox" id={listId} aria-label={`${label}: matches`}>
          {items.map((item, index) => {
            const selected = index === activeIndex;
            const common = {
              id: optionId(index),
              role: 'option',
              'aria-selected': selected,
              className: `symbol-search-option${selected ? ' active' : ''}`,
              // mousedown, not click: a click would come after the input's blur closed the list.
              onMouseDown: (event: MouseEvent) => {
                event.preventDefault();
                choose(item);
              },
              onMouseEnter: () => setActive(index),
            } as const;
            if (item.kind === 'action') {
              return (
                <li
                  key={`action-${item.action.id}`}
                  {...common}
                  data-testid={`search-action-${item.action.id}`}
                >
                  <span className="symbol-search-symbol">{item.action.label}</span>
                  {item.action.detail ? (
                    <span className="symbol-search-name">{item.action.detail}</span>
                  ) : null}
                </li>
              );
            }
            const { match } = item;
            return (
              <li
                key={match.symbol}
                {...common}
                data-testid="symbol-option"
                data-symbol={match.symbol}
                data-source={match.source}
                data-live={match.live ? 'true' : 'false'}
              >
                <span className="symbol-search-symbol">{match.symbol}</span>
                <span className="symbol-search-name">{match.name === match.symbol ? '' : match.name}</span>
                <span className={`symbol-search-source${match.live ? ' live' : ''}`}>
                  {sourceLabel(match)}
                </span>
              </li>
            );
          })}
          {items.length === 0 ? (
            <li className="symbol-search-empty" role="presentation">
              {search.error ?? (typed && current ? `No symbol matches “${query.trim()}”` : 'Searching…')}
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * The news panel under the charts: scored news, newest first, as it arrives. Each row: publication time
 * (New York), symbols, headline (the summary on hover, or unfolded), source, sentiment label and score
 * (red negative, grey neutral, green positive; "unscored" when no model scored it) and catalyst tags.
 * A click (or Enter) on a row marks its time on every chart; again clears it. The replay does not move.
 *
 * The header says where news comes from (each source's state) and which sentiment model scores it, or
 * why none does; with nothing to show the panel says why, in the engine's words, and what to do.
 * The list holds at most MAX_NEWS_ROWS rows; new rows arriving at the top never move what a trader who
 * scrolled down is reading (the rows in view stay put, and a button says how many newer ones wait).
 */
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import type { NewsStatus, ScoredNews } from '../../shared/domain';
import type { CallState } from '../signals/use-engine-call';
import {
  catalystChip,
  formatNewsMoment,
  formatNewsTime,
  sentimentModelLine,
  sentimentView,
  sourceChips,
} from './news-format';
import { parseTypedSymbol } from './news-list';
import type { NewsMark } from './news-mark';
import type { NewsPanelState } from './use-news-panel';

interface NewsPanelProps {
  panel: NewsPanelState;
  status: CallState<NewsStatus>;
  mark: NewsMark | null;
  onMark: (mark: NewsMark | null) => void;
}

const IMPORT_HINT =
  'Recorded news: import it with “npx trm news import <files>” into the market database and replay it (--mode replay); it shows as the replay clock passes each item. Live news: paper or live mode with Alpaca keys.';

export function NewsPanel({ panel, status, mark, onMark }: NewsPanelProps) {
  const titleId = useId();
  const { news } = panel;
  if (panel.folded) {
    return (
      <section
        className="news-panel news-folded"
        aria-labelledby={titleId}
        data-testid="news-panel"
        data-folded="true"
      >
        <header className="news-header">
          <button
            type="button"
            className="news-fold"
            aria-label="Show the news panel"
            title="Show the news panel"
            onClick={() => panel.setFolded(false)}
          >
            ˄
          </button>
          <h2 id={titleId}>News</h2>
          <StatusLine status={status} />
        </header>
      </section>
    );
  }
  return (
    <section
      className="news-panel"
      aria-labelledby={titleId}
      data-testid="news-panel"
      data-folded="false"
      data-count={news.items.length}
      data-empty={news.items.length === 0 ? 'true' : 'false'}
      data-received={news.received}
      data-batches={news.batches}
      data-loading={news.loading ? 'true' : 'false'}
    >
      <header className="news-header">
        <button
          type="button"
          className="news-fold"
          aria-label="Hide the news panel"
          title="Hide the news panel"
          onClick={() => panel.setFolded(true)}
        >
          ˅
        </button>
        <h2 id={titleId}>News</h2>
        <FilterControl panel={panel} />
        <span className="news-count signals-muted" data-testid="news-count">
          {news.items.length > 0 ? `${news.items.length.toLocaleString('en-US')} shown` : ''}
        </span>
        <StatusLine status={status} />
      </header>
      {news.liveError !== null && news.error === null ? (
        <div className="news-note" role="status" data-testid="news-live-error">
          New items do not arrive: {news.liveError}
        </div>
      ) : null}
      <NewsList panel={panel} mark={mark} onMark={onMark} status={status.value} />
    </section>
  );
}

/** The sources' states and the sentiment model (or why none runs), from `news.status`. */
function StatusLine({ status }: { status: CallState<NewsStatus> }) {
  const value = status.value;
  if (value === null) {
    return status.error !== null ? (
      <span className="news-status signals-muted" data-testid="news-status" title={status.error}>
        {status.error}
      </span>
    ) : null;
  }
  const model = sentimentModelLine(value.sentiment, value.sentimentMessage);
  return (
    <span className="news-status" data-testid="news-status">
      {value.sources.length === 0 ? (
        <span
          className="news-chip news-source"
          data-tone="muted"
          data-testid="news-source"
          title={value.message ?? 'No news source runs in this engine'}
        >
          no news source
        </span>
      ) : (
        sourceChips(value.sources).map((chip) => (
          <span
            key={chip.key}
            className="news-chip news-source"
            data-tone={chip.tone}
            data-testid="news-source"
            title={chip.title}
          >
            {chip.text}
          </span>
        ))
      )}
      <span
        className="news-model"
        data-testid="news-model"
        data-tone={model.ok ? 'ok' : 'warn'}
        title={`${model.title}. Catalyst tags by ${value.catalystTagger === 'zero-shot' ? 'a zero-shot model' : 'keyword rules'}; ${value.stored.toLocaleString('en-US')} items stored.`}
      >
        {model.text}
      </span>
    </span>
  );
}

function FilterControl({ panel }: { panel: NewsPanelState }) {
  const { filter, screenSymbol } = panel;
  const [text, setText] = useState(filter.kind === 'symbol' ? filter.symbol : '');
  const [problem, setProblem] = useState<string | null>(null);
  const problemId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = parseTypedSymbol(text);
    if ('problem' in typed) {
      setProblem(typed.problem);
      return;
    }
    setProblem(null);
    setText(typed.symbol);
    panel.setFilter({ kind: 'symbol', symbol: typed.symbol });
  };
  return (
    <form
      className="news-filter"
      role="group"
      aria-label="Which news"
      data-testid="news-filter"
      onSubmit={submit}
    >
      <button
        type="button"
        className="news-filter-choice"
        aria-pressed={filter.kind === 'all'}
        data-testid="news-filter-all"
        onClick={() => panel.setFilter({ kind: 'all' })}
      >
        All
      </button>
      <button
        type="button"
        className="news-filter-choice"
        aria-pressed={filter.kind === 'screen'}
        data-testid="news-filter-screen"
        disabled={screenSymbol === null}
        title="News naming the symbol on the charts"
        onClick={() => panel.setFilter({ kind: 'screen' })}
      >
        {screenSymbol ?? 'On screen'}
      </button>
      <input
        className={`news-filter-symbol${filter.kind === 'symbol' ? ' news-filter-active' : ''}`}
        data-testid="news-filter-symbol"
        aria-label="News naming a symbol (type it, then Enter)"
        placeholder="Symbol ⏎"
        spellCheck={false}
        autoComplete="off"
        value={text}
        aria-invalid={problem !== null}
        aria-describedby={problem !== null ? problemId : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setProblem(null);
        }}
      />
      {problem !== null ? (
        <span className="news-filter-problem" id={problemId} role="alert" data-testid="news-filter-problem">
          {problem}
        </span>
      ) : null}
    </form>
  );
}

function NewsList({
  panel,
  mark,
  onMark,
  status,
}: {
  panel: NewsPanelState;
  mark: NewsMark | null;
  onMark: (mark: NewsMark | null) => void;
  status: NewsStatus | null;
}) {
  const { news, symbol } = panel;
  const items = news.items;
  const listRef = useRef<HTMLOListElement>(null);
  // The row at the top of the view and how far above the view's top it starts (px), kept on scroll.
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  // While the trader is scrolled down: the newest row when they left the top; rows above it are "newer".
  const [seenTop, setSeenTop] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string | null>(null);

  const readAnchor = (): void => {
    const list = listRef.current;
    if (!list) return;
    if (list.scrollTop <= 0) {
      anchor.current = null;
      setSeenTop(null);
      return;
    }
    if (anchor.current === null) setSeenTop(items[0]?.id ?? null);
    for (const row of Array.from(list.children) as HTMLElement[]) {
      if (row.offsetTop + row.offsetHeight > list.scrollTop) {
        anchor.current = { id: row.dataset.newsId ?? '', offset: row.offsetTop - list.scrollTop };
        return;
      }
    }
  };

  // New rows at the top: a trader at the top sees them; one scrolled down keeps the rows in view.
  useLayoutEffect(() => {
    const list = listRef.current;
    const held = anchor.current;
    if (!list || held === null) return;
    const row = list.querySelector<HTMLElement>(`[data-news-id="${CSS.escape(held.id)}"]`);
    if (row) list.scrollTop = row.offsetTop - held.offset;
  }, [items]);

  // A new filter or reload starts at the top.
  useEffect(() => {
    anchor.current = null;
    if (listRef.current) listRef.current.scrollTop = 0;
  }, [symbol]);

  const seenIndex = seenTop === null ? -1 : items.findIndex((item) => item.id === seenTop);
  const newer = seenIndex > 0 ? seenIndex : 0;

  if (items.length === 0) {
    return <EmptyNews panel={panel} status={status} />;
  }

  const toggle = (item: ScoredNews): void => {
    onMark(
      mark?.id === item.id
        ? null
        : { id: item.id, time: item.time, label: `${formatNewsMoment(item.time)} — ${item.headline}` },
    );
  };
  const onRowKey = (event: KeyboardEvent<HTMLElement>, item: ScoredNews, index: number): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      toggle(item);
      return;
    }
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = listRef.current?.querySelectorAll<HTMLElement>('.news-row-main')[index + step];
    next?.focus();
  };

  return (
    <div className="news-body">
      {newer > 0 ? (
        <button
          type="button"
          className="news-newer"
          data-testid="news-newer"
          onClick={() => {
            anchor.current = null;
            if (listRef.current) listRef.current.scrollTop = 0;
            setSeenTop(null);
          }}
        >
          ↑ {newer} newer
        </button>
      ) : null}
      <ol className="news-list" ref={listRef} onScroll={readAnchor} data-testid="news-list">
        {items.map((item, index) => {
          const sentiment = sentimentView(item.sentiment, item.sentimentModel);
          const marked = mark?.id === item.id;
          const open = expanded === item.id;
          return (
            <li
              key={item.id}
              className={`news-row${marked ? ' news-row-marked' : ''}`}
              data-testid="news-row"
              data-news-id={item.id}
              data-time={item.time}
              data-symbols={item.symbols.join(' ')}
            >
              <div
                className="news-row-main"
                role="button"
                tabIndex={0}
                aria-pressed={marked}
                title={`${formatNewsMoment(item.time)}: ${marked ? 'click to clear the mark on the charts' : 'click to mark this time on the charts'}`}
                onClick={() => toggle(item)}
                onKeyDown={(event) => onRowKey(event, item, index)}
              >
                <time className="news-time numeric" dateTime={new Date(item.time).toISOString()}>
                  {formatNewsTime(item.time)}
                </time>
                <span className="news-symbols">
                  {item.symbols.length === 0 ? (
                    <span
                      className="news-chip news-symbol news-market-wide"
                      title="Market-wide: names no symbol"
                    >
                      market
                    </span>
                  ) : (
                    item.symbols.slice(0, 4).map((s) => (
                      <span key={s} className="news-chip news-symbol">
                        {s}
                      </span>
                    ))
                  )}
                  {item.symbols.length > 4 ? (
                    <span className="news-chip news-symbol" title={item.symbols.slice(4).join(', ')}>
                      +{item.symbols.length - 4}
                    </span>
                  ) : null}
                </span>
                <span className="news-headline" title={item.summary !== '' ? item.summary : item.headline}>
                  {item.headline}
                </span>
                <span className="news-tags">
                  {item.catalysts.map((tag) => {
                    const chip = catalystChip(tag);
                    return (
                      <span key={tag} className="news-chip news-tag" data-catalyst={tag} title={chip.title}>
                        {chip.text}
                      </span>
                    );
                  })}
                </span>
                <span
                  className="news-sentiment"
                  data-testid="news-sentiment"
                  data-label={sentiment.tone}
                  data-score={item.sentiment?.score ?? ''}
                  title={sentiment.title}
                >
                  <span className="news-sentiment-label">{sentiment.label}</span>
                  {sentiment.score !== '' ? <span className="numeric"> {sentiment.score}</span> : null}
                </span>
                <span className="news-source-name" title={`${item.source} (${item.kind})`}>
                  {item.source}
                </span>
              </div>
              {item.summary !== '' ? (
                <button
                  type="button"
                  className="news-expand"
                  aria-expanded={open}
                  aria-label={open ? 'Hide the summary' : 'Show the summary'}
                  title={open ? 'Hide the summary' : 'Show the summary'}
                  onClick={() => setExpanded(open ? null : item.id)}
                >
                  {open ? '−' : '+'}
                </button>
              ) : (
                <span />
              )}
              {open ? (
                <p className="news-summary" data-testid="news-summary">
                  {item.summary}
                  {item.url !== null ? (
                    <>
                      {' '}
                      <a href={item.url} target="_blank" rel="noreferrer noopener">
                        source
                      </a>
                    </>
                  ) : null}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** Nothing to show: why (the engine's words when it refused) and what to do. */
function EmptyNews({ panel, status }: { panel: NewsPanelState; status: NewsStatus | null }) {
  const { news, symbol } = panel;
  let message: string;
  let hint: string | null = IMPORT_HINT;
  if (news.error !== null) {
    message = news.error;
  } else if (news.loading) {
    message = 'Loading news…';
    hint = null;
  } else if (symbol !== null) {
    message = `No news naming ${symbol} yet.`;
    hint = 'Choose All to see every item, or type another symbol.';
  } else if (status !== null && status.sources.length === 0) {
    // The engine says why and what to do (demo mode: import recorded news and replay it).
    message = status.message ?? 'No news source runs in this engine.';
    if (status.message) hint = null;
  } else {
    message = 'No news yet.';
    if (status !== null && status.sources.length > 0) {
      hint =
        'Items appear here as the sources deliver them (in a replay, as the replay clock passes their time).';
    }
  }
  return (
    <div className="news-empty" role="status" data-testid="news-empty">
      <strong data-testid="news-message">{message}</strong>
      {hint !== null ? <div className="signals-muted">{hint}</div> : null}
    </div>
  );
}

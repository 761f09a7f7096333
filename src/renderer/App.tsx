/**
 * The trader's screen: top bar (with the import and broker-keys panels it opens), the replay bar in
 * replay mode, a 2x2 grid of charts on one symbol with the trading panel (trading/: ticket, blotter,
 * positions) and the news panel (news/) under it, beside the right column (signals/: the watchlist on
 * top, watchlist/, then the strategy and meta panels, meta/), and the status bar. The trading state, live
 * arming and the kill switch sit in the top bar.
 */
import { useCallback, useEffect, useState } from 'react';
import { DECISION_SYMBOL } from '../shared/domain';
import { LinkProblemBanner } from './LinkProblemBanner';
import { useConnection, useLinkProblem } from './engine/engine-context';
import { useEngineStatus } from './engine/use-engine-status';
import { useProtocolErrors } from './engine/use-protocol-errors';
import { useSymbols } from './engine/use-symbols';
import { ImportPanel } from './import/ImportPanel';
import { useImport, type ImportRun } from './import/use-import';
import { ChartGrid } from './panes/ChartGrid';
import { ReplayControls } from './replay/ReplayControls';
import { useReplay } from './replay/use-replay';
import { MetaPanel } from './meta/MetaPanel';
import { NewsPanel } from './news/NewsPanel';
import { NewsMarkProvider, type NewsMark } from './news/news-mark';
import { useNewsPanel } from './news/use-news-panel';
import { useNewsStatus } from './news/use-news-status';
import { KeysPanel } from './settings/KeysPanel';
import { SettingsPanel } from './settings/SettingsPanel';
import { Shortcuts } from './shortcuts/Shortcuts';
import { useDocumentTheme } from './theme/use-document-theme';
import { StrategySide } from './signals/StrategySide';
import { ChartSignalsProvider } from './signals/signals-context';
import { useSignals } from './signals/use-signals';
import { StatusBar, feedIsDown } from './status/StatusBar';
import { TopBar, type TopBarPanel } from './top-bar/TopBar';
import { KillSwitch } from './trading/KillSwitch';
import { TradingBadges } from './trading/TradingBadges';
import { TradingPanel } from './trading/TradingPanel';
import { tradingUnavailable } from './trading/trading-view';
import { useTrading } from './trading/use-trading';
import { useFoldedFlagOf } from './panels/use-folded-flag';
import { WatchlistPanel } from './watchlist/WatchlistPanel';
import { useWorkspace } from './workspace/use-workspace';
import { WorkspaceProvider } from './workspace/workspace-context';

/** How far an import is, 0..1, for the top bar; null while unknown; false when none runs. */
function importShare(run: ImportRun): number | null | false {
  if (run.phase === 'sending')
    return run.sent && run.sent.totalBytes > 0 ? run.sent.sentBytes / run.sent.totalBytes : null;
  if (run.phase === 'importing') {
    const progress = run.progress;
    return progress && progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : null;
  }
  return false;
}

export function App() {
  const connection = useConnection();
  const problem = useLinkProblem();
  const status = useEngineStatus();
  const protocolErrors = useProtocolErrors();
  // Bumped after an import stored bars: the symbol list and every pane load again.
  const [dataVersion, setDataVersion] = useState(0);
  const onImported = useCallback(() => setDataVersion((n) => n + 1), []);
  const imports = useImport(onImported);
  const replay = useReplay(status?.mode === 'replay');
  // The chosen symbol, the panes, the theme and folded panels, kept in the engine's store (workspace/).
  const workspace = useWorkspace();
  // Until the kept workspace is loaded the page keeps the last theme's hint (theme/theme-hint.ts), not the default's.
  useDocumentTheme(workspace.ready ? workspace.workspace.theme : null);
  // A replay seek rewinds the engine (its predictions after the new time go); an import may add history.
  const signals = useSignals(status, `${dataVersion}|${replay.seekEpoch}`, workspace);
  const { symbols, error: symbolsError } = useSymbols(dataVersion);
  const chosen = workspace.workspace.symbol;
  const [openPanel, setOpenPanel] = useState<TopBarPanel | null>(null);
  const closePanel = useCallback(() => setOpenPanel(null), []);
  // The chosen symbol, whether the feed serves it or not (stored history, a broker asset: the panes say when
  // there are no bars), else the model's decision symbol, else the feed's first.
  // None until the kept workspace is known, so nothing loads the default symbol first and then switches.
  const symbol = !workspace.ready
    ? null
    : (chosen ??
      symbols.find((info) => info.symbol === DECISION_SYMBOL)?.symbol ??
      symbols[0]?.symbol ??
      null);
  const linkDown = connection.state !== 'open';
  // A seek rewinds the engine's news too; an import may add some.
  const newsReload = `${dataVersion}|${replay.seekEpoch}`;
  const news = useNewsPanel(symbol, newsReload, workspace);
  const newsStatus = useNewsStatus(
    `${status?.mode ?? ''}|${status?.feed.state ?? ''}|${newsReload}`,
    news.news.received,
  );
  const [newsMark, setNewsMark] = useState<NewsMark | null>(null);
  const trading = useTrading();
  const [tradingFolded, setTradingFolded] = useFoldedFlagOf(workspace, 'trading');
  const tradingStatus = trading.status.value;
  // Real money: a red frame around the whole window (styles.css .app-live).
  const live = status?.mode === 'live' || tradingStatus?.broker === 'live';
  // What the top bar's trading controls (badges, kill switch) act on.
  const tradingControls = {
    client: trading.client,
    status: tradingStatus,
    unavailable: tradingUnavailable(trading),
    onStatus: trading.setStatus,
  };

  // On <body> only (exactly one element carries it), so tests and styles find it from anywhere.
  useEffect(() => {
    document.body.dataset.connectionState = connection.state;
  }, [connection.state]);
  // Whether the workspace is loaded, waiting to be saved, saved (idle) or failed to save: tests wait on it.
  useEffect(() => {
    document.body.dataset.workspace = workspace.status;
  }, [workspace.status]);

  return (
    <WorkspaceProvider value={workspace}>
      <div className={`app${live ? ' app-live' : ''}`} data-live={live ? 'true' : 'false'}>
        <TopBar
          status={status}
          symbols={symbols}
          symbolsError={symbolsError}
          symbol={symbol}
          onSymbolChange={workspace.setSymbol}
          stale={linkDown || (status !== null && feedIsDown(status.feed.state))}
          openPanel={openPanel}
          onTogglePanel={(panel) => setOpenPanel((open) => (open === panel ? null : panel))}
          importing={importShare(imports.run)}
          account={tradingStatus?.account ?? null}
          tradingBadges={<TradingBadges {...tradingControls} />}
          killSwitch={<KillSwitch {...tradingControls} />}
        />
        {status?.mode === 'replay' ? <ReplayControls replay={replay} /> : null}
        {problem ? <LinkProblemBanner problem={problem} /> : null}
        <div className="workspace">
          {/* Both counters only grow, so their sum changes whenever either does. */}
          <div className="workspace-main">
            <ChartSignalsProvider value={signals.chart}>
              <NewsMarkProvider value={newsMark}>
                {workspace.ready ? (
                  <ChartGrid
                    symbol={symbol}
                    dataVersion={dataVersion + replay.seekEpoch}
                    panes={workspace.workspace.panes}
                  />
                ) : (
                  <main className="chart-grid" data-testid="chart-grid-loading" />
                )}
              </NewsMarkProvider>
            </ChartSignalsProvider>
            <TradingPanel
              trading={trading}
              symbol={symbol}
              folded={tradingFolded}
              onFold={setTradingFolded}
            />
            <NewsPanel panel={news} status={newsStatus} mark={newsMark} onMark={setNewsMark} />
          </div>
          <StrategySide
            signals={signals}
            top={<WatchlistPanel feedSymbols={symbols} reloadKey={newsReload} />}
            meta={<MetaPanel symbol={symbol} reloadKey={newsReload} />}
          />
          {openPanel !== null ? (
            <div className="panel-layer">
              {openPanel === 'import' ? (
                <ImportPanel control={imports} mode={status?.mode ?? null} onClose={closePanel} />
              ) : null}
              {openPanel === 'keys' ? <KeysPanel onClose={closePanel} /> : null}
              {openPanel === 'settings' ? (
                <SettingsPanel
                  onClose={closePanel}
                  mode={status?.mode ?? null}
                  trading={tradingControls}
                  model={signals.model}
                  training={signals.training}
                />
              ) : null}
            </div>
          ) : null}
        </div>
        <Shortcuts onOpenSettings={() => setOpenPanel('settings')} onClosePanels={closePanel} />
        <StatusBar
          connection={connection.state}
          status={status}
          protocolErrors={protocolErrors}
          modelReason={signals.model.message}
          news={newsStatus.value}
        />
      </div>
    </WorkspaceProvider>
  );
}

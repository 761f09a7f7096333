/**
 * App name, trading mode (with the trading state and live arming beside it), symbol picker, the kill
 * switch, the import, broker-keys and settings buttons, and the market clock.
 */
import type { ReactNode } from 'react';
import type { EngineStatus, SymbolInfo } from '../../shared/domain';
import { formatMarketClock } from '../time/exchange-time';
import { SymbolPicker } from './SymbolPicker';

const KIND_LABEL: Record<SymbolInfo['kind'], string> = {
  'index-etf': 'Index ETF',
  'bond-etf': 'Bond ETF',
  'commodity-etf': 'Commodity ETF',
  'sector-etf': 'Sector ETF',
  stock: 'Stock',
  crypto: 'Crypto',
};

/** The panels the top bar opens. */
export type TopBarPanel = 'import' | 'keys' | 'settings';

interface TopBarProps {
  status: EngineStatus | null;
  symbols: readonly SymbolInfo[];
  symbolsError: string | null;
  symbol: string | null;
  onSymbolChange: (symbol: string) => void;
  /** The market clock is not current: the link is down, or the feed is. */
  stale: boolean;
  openPanel: TopBarPanel | null;
  onTogglePanel: (panel: TopBarPanel) => void;
  /** An import is running: how far, 0..1 (null while unknown). */
  importing: number | null | false;
  /** The account behind the trading calls ("Demo account", "Alpaca paper …"), for the mode badge's tooltip. */
  account?: string | null;
  /** The trading state and live-arming badges, shown after the mode badge (trading/TradingBadges.tsx). */
  tradingBadges?: ReactNode;
  /** The kill switch, always visible (trading/KillSwitch.tsx). */
  killSwitch?: ReactNode;
}

export function TopBar({
  status,
  symbols,
  symbolsError,
  symbol,
  onSymbolChange,
  stale,
  openPanel,
  onTogglePanel,
  importing,
  account = null,
  tradingBadges = null,
  killSwitch = null,
}: TopBarProps) {
  const kind = symbols.find((info) => info.symbol === symbol)?.kind;
  const marketTime = status?.marketTime ?? null;
  return (
    <header className="top-bar">
      {/* Below 1000 px wide the name shortens, the symbol's kind hides and the buttons take short labels
          (styles.css), so every control stays in the window. */}
      <span className="app-name" title="TRM Workstation">
        TRM<span className="app-name-rest"> Workstation</span>
      </span>
      <span
        className={`mode-badge mode-${status?.mode ?? 'unknown'}`}
        data-testid="mode-badge"
        title={account ? `Trading mode of the engine: ${account}` : 'Trading mode of the engine'}
      >
        {status ? status.mode.toUpperCase() : '—'}
      </span>
      {tradingBadges}
      <SymbolPicker symbols={symbols} value={symbol} onChange={onSymbolChange} />
      {kind ? <span className="symbol-kind">{KIND_LABEL[kind]}</span> : null}
      {symbolsError !== null ? (
        <span className="top-bar-error" role="alert" title={symbolsError}>
          Symbols unavailable
        </span>
      ) : null}
      <span className="top-bar-spacer" />
      {killSwitch}
      <button
        type="button"
        className={`top-bar-button${openPanel === 'import' ? ' active' : ''}`}
        data-testid="import-button"
        aria-expanded={openPanel === 'import'}
        aria-haspopup="dialog"
        onClick={() => onTogglePanel('import')}
        title="Import history files"
      >
        Import
        {importing !== false ? (
          <span className="top-bar-progress" data-testid="import-running">
            {importing === null ? '…' : `${Math.floor(importing * 100)}%`}
          </span>
        ) : null}
      </button>
      {/* Named, not a gear: the panel holds the broker's keys only (Settings has them too). */}
      <button
        type="button"
        className={`top-bar-button${openPanel === 'keys' ? ' active' : ''}`}
        data-testid="keys-button"
        aria-expanded={openPanel === 'keys'}
        aria-haspopup="dialog"
        onClick={() => onTogglePanel('keys')}
        title="Broker keys: the Alpaca key id and secret for paper and live modes"
        aria-label="Broker keys"
      >
        <span className="top-bar-label-long">Broker keys</span>
        <span className="top-bar-label-short">Keys</span>
      </button>
      <button
        type="button"
        className={`top-bar-button${openPanel === 'settings' ? ' active' : ''}`}
        data-testid="open-settings"
        aria-expanded={openPanel === 'settings'}
        aria-haspopup="dialog"
        onClick={() => onTogglePanel('settings')}
        title="Settings: theme, risk limits, strategy model, mode, broker keys (,)"
        aria-label="Settings"
      >
        <span className="top-bar-label-long">Settings</span>
        <span className="top-bar-label-short">⚙</span>
      </button>
      <time
        className={`market-clock${stale ? ' stale' : ''}`}
        data-testid="market-clock"
        title="Market time, America/New_York"
      >
        {marketTime !== null ? formatMarketClock(marketTime) : '—'}
      </time>
    </header>
  );
}

/** App name, trading mode, symbol picker and the market clock. */
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

interface TopBarProps {
  status: EngineStatus | null;
  symbols: readonly SymbolInfo[];
  symbolsError: string | null;
  symbol: string | null;
  onSymbolChange: (symbol: string) => void;
  /** The status is as last heard from a link that is now down. */
  stale: boolean;
}

export function TopBar({ status, symbols, symbolsError, symbol, onSymbolChange, stale }: TopBarProps) {
  const kind = symbols.find((info) => info.symbol === symbol)?.kind;
  const marketTime = status?.marketTime ?? null;
  return (
    <header className="top-bar">
      <span className="app-name">TRM Workstation</span>
      <span
        className={`mode-badge mode-${status?.mode ?? 'unknown'}`}
        data-testid="mode-badge"
        title="Trading mode of the engine"
      >
        {status ? status.mode.toUpperCase() : '—'}
      </span>
      <SymbolPicker symbols={symbols} value={symbol} onChange={onSymbolChange} />
      {kind ? <span className="symbol-kind">{KIND_LABEL[kind]}</span> : null}
      {symbolsError !== null ? (
        <span className="top-bar-error" role="alert" title={symbolsError}>
          Symbols unavailable
        </span>
      ) : null}
      <span className="top-bar-spacer" />
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

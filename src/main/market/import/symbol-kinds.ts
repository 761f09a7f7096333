/**
 * A sensible display name and asset kind for an imported symbol: the demo universe's names where it has
 * them, a short list of well-known ETFs, crypto for symbols on the 24/7 calendar, and `stock` for the
 * rest (ASSET_KINDS has no kind for an index such as VIX; it is filed as a stock).
 */
import type { SymbolInfo } from '../../../shared/domain';
import { DEFAULT_UNIVERSE } from '../../core/synthetic/universe';

type Kind = SymbolInfo['kind'];

const KNOWN: Readonly<Record<string, readonly [Kind, string]>> = {
  SPY: ['index-etf', 'SPDR S&P 500 ETF Trust'],
  QQQ: ['index-etf', 'Invesco QQQ Trust (Nasdaq-100)'],
  IWM: ['index-etf', 'iShares Russell 2000 ETF'],
  DIA: ['index-etf', 'SPDR Dow Jones Industrial Average ETF Trust'],
  MDY: ['index-etf', 'SPDR S&P MidCap 400 ETF Trust'],
  RSP: ['index-etf', 'Invesco S&P 500 Equal Weight ETF'],
  VTI: ['index-etf', 'Vanguard Total Stock Market ETF'],
  VOO: ['index-etf', 'Vanguard S&P 500 ETF'],
  IVV: ['index-etf', 'iShares Core S&P 500 ETF'],
  EEM: ['index-etf', 'iShares MSCI Emerging Markets ETF'],
  EFA: ['index-etf', 'iShares MSCI EAFE ETF'],
  TLT: ['bond-etf', 'iShares 20+ Year Treasury Bond ETF'],
  IEF: ['bond-etf', 'iShares 7-10 Year Treasury Bond ETF'],
  SHY: ['bond-etf', 'iShares 1-3 Year Treasury Bond ETF'],
  LQD: ['bond-etf', 'iShares iBoxx $ Investment Grade Corporate Bond ETF'],
  HYG: ['bond-etf', 'iShares iBoxx $ High Yield Corporate Bond ETF'],
  TIP: ['bond-etf', 'iShares TIPS Bond ETF'],
  AGG: ['bond-etf', 'iShares Core U.S. Aggregate Bond ETF'],
  BND: ['bond-etf', 'Vanguard Total Bond Market ETF'],
  GLD: ['commodity-etf', 'SPDR Gold Shares'],
  SLV: ['commodity-etf', 'iShares Silver Trust'],
  DBC: ['commodity-etf', 'Invesco DB Commodity Index Tracking Fund'],
  USO: ['commodity-etf', 'United States Oil Fund'],
  UNG: ['commodity-etf', 'United States Natural Gas Fund'],
  XLB: ['sector-etf', 'Materials Select Sector SPDR Fund'],
  XLC: ['sector-etf', 'Communication Services Select Sector SPDR Fund'],
  XLE: ['sector-etf', 'Energy Select Sector SPDR Fund'],
  XLF: ['sector-etf', 'Financial Select Sector SPDR Fund'],
  XLI: ['sector-etf', 'Industrial Select Sector SPDR Fund'],
  XLK: ['sector-etf', 'Technology Select Sector SPDR Fund'],
  XLP: ['sector-etf', 'Consumer Staples Select Sector SPDR Fund'],
  XLRE: ['sector-etf', 'Real Estate Select Sector SPDR Fund'],
  XLU: ['sector-etf', 'Utilities Select Sector SPDR Fund'],
  XLV: ['sector-etf', 'Health Care Select Sector SPDR Fund'],
  XLY: ['sector-etf', 'Consumer Discretionary Select Sector SPDR Fund'],
  SMH: ['sector-etf', 'VanEck Semiconductor ETF'],
  VIX: ['stock', 'Cboe Volatility Index'],
};

/** Quote currencies of crypto pairs (BTCUSDT, ETH-USD, BTC/USD). */
const CRYPTO_PAIR = /^[A-Z0-9]{2,10}[-/]?(USDT|USDC|USD|BUSD|BTC|ETH|EUR)$/;

/** Whether a symbol reads as a crypto pair (trades around the clock). */
export function looksLikeCryptoPair(symbol: string): boolean {
  return CRYPTO_PAIR.test(symbol) && !(symbol in KNOWN);
}

/** Name and kind for a symbol trading on the given calendar ('XNYS' or '24x7'). */
export function describeSymbol(symbol: string, calendarId: string): { name: string; kind: Kind } {
  const demo = DEFAULT_UNIVERSE.find((spec) => spec.symbol === symbol);
  if (demo !== undefined) return { name: demo.name, kind: demo.kind };
  const known = KNOWN[symbol];
  if (known !== undefined) return { name: known[1], kind: known[0] };
  return { name: symbol, kind: calendarId === '24x7' ? 'crypto' : 'stock' };
}

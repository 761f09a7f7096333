/**
 * The demo market's generator: how many minute bars (10 symbols) it makes per second, without and with
 * the trades behind them, what a whole session and a day of daily history cost, and what a restart
 * costs at worst (restore the state saved before a session and regenerate that whole session silently).
 */
import { SyntheticMarket, type MarketState } from '../src/main/core/synthetic/market';
import { report, timeIt } from './lib/report';

const MINUTE = 60_000;
const DAY = 86_400_000;
const SESSION_MINUTES = 390;
const FIRST_OPEN = Date.UTC(2024, 0, 2, 14, 30);

/** Synchronous work; returns a promise because bench/run.ts awaits every benchmark. */
export default function (): Promise<void> {
  const sessionRunner = (withTrades: boolean) => {
    const market = new SyntheticMarket({ seed: 42 });
    let day = 0;
    let bars = 0;
    let trades = 0;
    const run = (): void => {
      const open = FIRST_OPEN + day++ * DAY;
      const session = { open, close: open + SESSION_MINUTES * MINUTE };
      for (let t = open; t < session.close; t += MINUTE) {
        const out = market.generateMinute(t, session, withTrades);
        bars += out.bars.length;
        trades += out.trades.length;
      }
    };
    return { market, run, counts: () => ({ bars, trades }) };
  };

  const plain = sessionRunner(false);
  const plainTime = timeIt(plain.run, 2000);
  const plainCounts = plain.counts();
  // timeIt's warm-up run counts bars too: rate over the timed runs only.
  const plainBars = (plainCounts.bars * plainTime.runs) / (plainTime.runs + 1);

  const traded = sessionRunner(true);
  const tradedTime = timeIt(traded.run, 2000);
  const tradedCounts = traded.counts();
  const share = tradedTime.runs / (tradedTime.runs + 1);

  const daily = new SyntheticMarket({ seed: 42 });
  let dailyDay = 0;
  let dailyBars = 0;
  const dailyTime = timeIt(() => {
    for (let k = 0; k < 250; k++) {
      const open = FIRST_OPEN + dailyDay++ * DAY;
      dailyBars += daily.generateDay({ open, close: open + SESSION_MINUTES * MINUTE }).length;
    }
  }, 1000);

  // A restart late in a session: the state saved at its open, then all 389 minutes before the last.
  const saver = new SyntheticMarket({ seed: 42 });
  let saved: MarketState | null = null;
  saver.onSessionStart = (state) => (saved = state);
  const firstSession = { open: FIRST_OPEN, close: FIRST_OPEN + SESSION_MINUTES * MINUTE };
  saver.generateMinute(FIRST_OPEN, firstSession, false);
  const savedState = JSON.parse(JSON.stringify(saved)) as MarketState;
  const restartTime = timeIt(() => {
    const market = SyntheticMarket.restore(savedState);
    for (let t = FIRST_OPEN; t < firstSession.close - MINUTE; t += MINUTE) {
      market.generateMinute(t, firstSession, false);
    }
  }, 1000);

  report(
    'synthetic',
    [
      { name: '1m bars, 10 symbols, without trades', value: plainBars / plainTime.seconds, unit: 'bars/s' },
      {
        name: '1m bars, 10 symbols, with trades',
        value: (tradedCounts.bars * share) / tradedTime.seconds,
        unit: 'bars/s',
      },
      {
        name: 'trades generated',
        value: (tradedCounts.trades * share) / tradedTime.seconds,
        unit: 'trades/s',
      },
      {
        name: 'one 390-minute session, 10 symbols, without trades',
        value: (plainTime.seconds * 1000) / plainTime.runs,
        unit: 'ms',
      },
      {
        name: 'one 390-minute session, 10 symbols, with trades',
        value: (tradedTime.seconds * 1000) / tradedTime.runs,
        unit: 'ms',
      },
      {
        name: 'restart: restore a saved state and regenerate 389 minutes',
        value: (restartTime.seconds * 1000) / restartTime.runs,
        unit: 'ms',
      },
      {
        name: '1D bars (daily history)',
        value: (dailyBars * dailyTime.runs) / (dailyTime.runs + 1) / dailyTime.seconds,
        unit: 'bars/s',
      },
    ],
    { symbols: plain.market.symbols.length, sessionMinutes: SESSION_MINUTES },
  );
  return Promise.resolve();
}

/**
 * The trading desk as the window sees it: the trading status (`trading.status` + `trading.statusChanged`),
 * the portfolio (`trading.portfolio` + `trading.portfolioChanged`) and the blotter's orders and fills
 * (`orders.list` / `fills.list` + `orders.changed` / `fills.new`, see blotter.ts). Each is listened to
 * first and asked once the link opens, and asked again after every reconnect. App.tsx holds one, for
 * the top bar's badges and kill switch and for the trading panel.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { RequestResult } from '../../shared/api';
import type { PortfolioSnapshot, TradingStatus } from '../../shared/domain';
import type { EngineClient } from '../../shared/rpc-client';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { describeCallError } from '../signals/use-engine-call';
import { blotterReducer, EMPTY_BLOTTER, MAX_BLOTTER_ROWS, type BlotterState } from './blotter';

export interface Pushed<T> {
  value: T | null;
  /** Why it could not be read (the engine's words: "Trading is not wired into this engine yet."), or null. */
  error: string | null;
}

export interface Trading {
  client: EngineClient;
  status: Pushed<TradingStatus>;
  portfolio: Pushed<PortfolioSnapshot>;
  blotter: BlotterState;
  /** The link to the engine is down. */
  offline: boolean;
  /** Shows a status the engine answered to an intent (kill switch, arming) before its push arrives. */
  setStatus: (status: TradingStatus) => void;
}

/** The pushed values the window keeps: each has an event that pushes it and a call that asks it. */
const PUSHED = {
  status: { event: 'trading.statusChanged', method: 'trading.status' },
  portfolio: { event: 'trading.portfolioChanged', method: 'trading.portfolio' },
} as const;

type PushedValue<K extends keyof typeof PUSHED> = RequestResult<(typeof PUSHED)[K]['method']>;

/**
 * A value pushed by its event and asked by its call on each link epoch. A push that lands before the
 * reply is newer than it, so the reply is then dropped (as useEngineStatus does).
 */
function usePushed<K extends keyof typeof PUSHED>(
  client: EngineClient,
  linkEpoch: number,
  which: K,
): [Pushed<PushedValue<K>>, (value: PushedValue<K>) => void] {
  const [state, setState] = useState<Pushed<PushedValue<K>>>({ value: null, error: null });
  const pushes = useRef(0);

  useEffect(() => {
    if (linkEpoch === 0) return;
    let cancelled = false;
    const { event, method } = PUSHED[which];
    const onValue = (value: PushedValue<K>): void => {
      pushes.current += 1;
      if (!cancelled) setState({ value, error: null });
    };
    // A listen the engine refuses says what the call says; the call's answer is what shows.
    const unlisten = client.listen(event, {}, onValue as (value: unknown) => void, () => {});
    const before = pushes.current;
    (client.call(method, {}) as Promise<PushedValue<K>>).then(
      (value) => {
        if (!cancelled && pushes.current === before) setState({ value, error: null });
      },
      (error: unknown) => {
        if (!cancelled) setState({ value: null, error: describeCallError(error) });
      },
    );
    return () => {
      cancelled = true;
      unlisten();
    };
  }, [client, linkEpoch, which]);

  const set = useCallback((value: PushedValue<K>) => setState({ value, error: null }), []);
  return [state, set];
}

export function useTrading(): Trading {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();

  const [status, setStatus] = usePushed(client, linkEpoch, 'status');
  const [portfolio] = usePushed(client, linkEpoch, 'portfolio');

  const [blotter, dispatch] = useReducer(blotterReducer, EMPTY_BLOTTER);
  useEffect(() => {
    if (linkEpoch === 0) return;
    let cancelled = false;
    const epoch = linkEpoch;
    dispatch({ kind: 'reload', epoch });
    const unlistenOrders = client.listen('orders.changed', {}, ({ orders }) => {
      if (!cancelled) dispatch({ kind: 'orders', epoch, orders });
    });
    const unlistenFills = client.listen('fills.new', {}, ({ fills }) => {
      if (!cancelled) dispatch({ kind: 'fills', epoch, fills });
    });
    // Working orders older than the newest page of history must show too: both lists are asked.
    Promise.all([
      client.call('orders.list', { status: 'open', limit: MAX_BLOTTER_ROWS }),
      client.call('orders.list', { status: 'all', limit: MAX_BLOTTER_ROWS }),
      client.call('fills.list', { limit: MAX_BLOTTER_ROWS }),
    ]).then(
      ([open, all, fills]) => {
        if (!cancelled) dispatch({ kind: 'loaded', epoch, orders: [...all, ...open], fills });
      },
      (error: unknown) => {
        if (!cancelled) dispatch({ kind: 'failed', epoch, error: describeCallError(error) });
      },
    );
    return () => {
      cancelled = true;
      unlistenOrders();
      unlistenFills();
    };
  }, [client, linkEpoch]);

  return { client, status, portfolio, blotter, offline: linkEpoch === 0, setStatus };
}

/**
 * One symbol's meta-score: asked (`signals.meta`) when the symbol, the link or `reloadKey` changes, and
 * replaced by each `signals.metaChanged` the engine pushes (at most one a second). An answer older than
 * the one held (a slow reply overtaken by an event) is ignored.
 */
import { useEffect, useState } from 'react';
import type { MetaScore } from '../../shared/domain';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { describeCallError } from '../signals/use-engine-call';

export interface MetaState {
  meta: MetaScore | null;
  /** Why there is no meta-score (the engine's words), or null. */
  error: string | null;
  loading: boolean;
}

interface Held {
  key: string;
  meta: MetaScore | null;
  error: string | null;
  settled: boolean;
}

export function useMeta(symbol: string | null, reloadKey: string): MetaState {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const key = `${symbol ?? ''}|${reloadKey}|${linkEpoch}`;
  const [held, setHeld] = useState<Held>({ key: '', meta: null, error: null, settled: false });

  useEffect(() => {
    if (linkEpoch === 0 || symbol === null) return;
    let cancelled = false;
    const take = (meta: MetaScore): void => {
      if (cancelled) return;
      setHeld((previous) =>
        previous.key === key && previous.meta !== null && previous.meta.time > meta.time
          ? previous
          : { key, meta, error: null, settled: true },
      );
    };
    const unlisten = client.listen('signals.metaChanged', { symbol }, take, (error) => {
      if (cancelled) return;
      const message = describeCallError(error);
      setHeld((previous) =>
        previous.key === key
          ? { ...previous, error: message, settled: true }
          : { key, meta: null, error: message, settled: true },
      );
    });
    client.call('signals.meta', { symbol }).then(take, (error: unknown) => {
      if (!cancelled) setHeld({ key, meta: null, error: describeCallError(error), settled: true });
    });
    return () => {
      cancelled = true;
      unlisten();
    };
  }, [client, linkEpoch, key, symbol]);

  const current = held.key === key;
  return {
    meta: current ? held.meta : null,
    error: current ? held.error : null,
    loading: symbol !== null && linkEpoch !== 0 && !(current && held.settled),
  };
}

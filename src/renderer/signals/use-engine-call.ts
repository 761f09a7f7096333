/**
 * One contract call whose answer a view shows: asked when the link opens, again after each reconnect
 * and whenever `key` changes (the caller's "this may have changed": a new prediction, a new model).
 * The previous answer stays on screen while a new one is asked, so a refresh never blanks a view; a
 * refusal clears it (what it said may no longer hold). Answers are tagged with what they were for, so those of superseded requests are ignored.
 */
import { useEffect, useState } from 'react';
import type { RequestName, RequestParams, RequestResult } from '../../shared/api';
import { EngineError } from '../../shared/protocol';
import { useConnection, useEngineClient } from '../engine/engine-context';

export interface CallState<T> {
  /** The latest answer (perhaps for an earlier key while the current one is asked), or null. */
  value: T | null;
  /** Why the latest request failed, in the engine's words, or null. */
  error: string | null;
  /** A request for the current key is out. */
  loading: boolean;
  /** The link to the engine is down: asked again once it is back. */
  offline: boolean;
}

/** An engine refusal as the trader reads it: a handler's own words as they are, other codes named. */
export function describeCallError(error: unknown): string {
  if (error instanceof EngineError) {
    return error.code === 'FAILED' ? error.message : `${error.code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

interface Outcome<T> {
  key: string;
  value: T | null;
  error: string | null;
}

/**
 * @param params the call's params, or null to ask nothing (a view not shown, nothing selected).
 * @param key changes whenever the answer may have changed; include everything params depend on.
 */
export function useEngineCall<M extends RequestName>(
  method: M,
  params: RequestParams<M> | null,
  key: string,
): CallState<RequestResult<M>> {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const [outcome, setOutcome] = useState<Outcome<RequestResult<M>> | null>(null);
  // Params are a fresh object each render; their text is what identifies them (they are small).
  const paramsText = params === null ? null : JSON.stringify(params);
  const fullKey = `${method}|${key}|${paramsText}|${linkEpoch}`;

  useEffect(() => {
    if (paramsText === null || linkEpoch === 0) return;
    let cancelled = false;
    client.call(method, JSON.parse(paramsText) as RequestParams<M>).then(
      (value) => {
        if (!cancelled) setOutcome({ key: fullKey, value, error: null });
      },
      (error: unknown) => {
        if (!cancelled) setOutcome({ key: fullKey, value: null, error: describeCallError(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, method, paramsText, linkEpoch, fullKey]);

  const settled = outcome?.key === fullKey;
  return {
    value: outcome?.value ?? null,
    error: settled ? outcome.error : null,
    loading: paramsText !== null && linkEpoch !== 0 && !settled,
    offline: linkEpoch === 0,
  };
}

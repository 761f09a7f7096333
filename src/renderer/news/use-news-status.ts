/**
 * The state of news (`news.status`): its sources, the sentiment model or why none runs, the tagger and
 * the stored count. There is no event for it, so it is asked again when something it describes may
 * have changed: news arrived (at most every few seconds), the engine's mode or feed state changed, and
 * every STATUS_POLL_MS besides (a source that reconnects sends no items to tell).
 */
import { useEffect, useRef, useState } from 'react';
import type { NewsStatus } from '../../shared/domain';
import { useEngineCall, type CallState } from '../signals/use-engine-call';

const STATUS_POLL_MS = 10_000;
/** News arriving asks again at most this often. */
const ARRIVAL_REFRESH_MS = 2_000;

/**
 * @param changeKey the engine status' mode and feed state, and anything else that says news changed
 * @param arrivals grows as news items arrive
 */
export function useNewsStatus(changeKey: string, arrivals: number): CallState<NewsStatus> {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, []);
  const lastAsked = useRef(0);
  const [arrivalKey, setArrivalKey] = useState(0);
  useEffect(() => {
    if (arrivals === 0) return;
    const wait = Math.max(0, lastAsked.current + ARRIVAL_REFRESH_MS - Date.now());
    const timer = setTimeout(() => {
      lastAsked.current = Date.now();
      setArrivalKey(arrivals);
    }, wait);
    return () => clearTimeout(timer);
  }, [arrivals]);
  return useEngineCall('news.status', {}, `${changeKey}|${tick}|${arrivalKey}`);
}

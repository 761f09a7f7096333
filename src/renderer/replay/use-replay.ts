/**
 * The replay as the controls see it: the engine's `replay.stateChanged` stream plus one `replay.state`
 * call each time the link opens (as for the engine status), and `send` for the trader's intents. The
 * state shown is always the engine's: a command's answer, or the latest push.
 *
 * A seek (this window's, or another client's that moved the clock back) changes which history is "up
 * to the replay clock": the charts hold bars that are now in the future, and no live bar can take
 * them away. `seekEpoch` counts those moments so the panes load their history again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReplayCommand, ReplayState } from '../../shared/domain';
import { useConnection, useEngineClient } from '../engine/engine-context';

export interface Replay {
  state: ReplayState | null;
  /** Why the last command (or the state) failed, as the engine said it; null after a success. */
  error: string | null;
  /** A command is on its way. */
  busy: boolean;
  /** Bumped after each seek and each jump of the clock backwards: the charts must reload. */
  seekEpoch: number;
  readonly send: (command: ReplayCommand) => void;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** @param active Listen only in replay mode (elsewhere the engine refuses replay calls). */
export function useReplay(active: boolean): Replay {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const [state, setState] = useState<ReplayState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(0);
  const [seekEpoch, setSeekEpoch] = useState(0);
  const pushes = useRef(0);
  const lastTime = useRef<number | null>(null);

  const observe = useCallback((next: ReplayState, seeked: boolean) => {
    const previous = lastTime.current;
    lastTime.current = next.time;
    if (seeked || (previous !== null && next.time !== null && next.time < previous)) {
      setSeekEpoch((n) => n + 1);
    }
    setState(next);
  }, []);

  useEffect(() => {
    if (!active) return;
    return client.listen(
      'replay.stateChanged',
      {},
      (pushed) => {
        pushes.current += 1;
        observe(pushed, false);
      },
      (failure) => setError(failure.message),
    );
  }, [client, active, observe]);

  useEffect(() => {
    if (!active || linkEpoch === 0) return;
    let cancelled = false;
    const pushesBefore = pushes.current;
    client.call('replay.state', {}).then(
      (value) => {
        if (!cancelled && pushes.current === pushesBefore) observe(value, false);
      },
      (failure: unknown) => {
        if (!cancelled) setError(message(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, active, linkEpoch, observe]);

  const send = useCallback(
    (command: ReplayCommand) => {
      setBusy((n) => n + 1);
      client
        .call('replay.control', command)
        .then(
          (after) => {
            observe(after, command.action === 'seek');
            setError(null);
          },
          (failure: unknown) => setError(message(failure)),
        )
        .finally(() => setBusy((n) => n - 1));
    },
    [client, observe],
  );

  return {
    state: active ? state : null,
    error: active ? error : null,
    busy: busy > 0,
    seekEpoch,
    send,
  };
}

/**
 * The engine's status: the `engine.statusChanged` stream plus one `engine.status` call each time the
 * link opens (pushes sent while it was down never arrived). A push that lands before the call's reply
 * is newer than that reply, so the reply is then ignored.
 */
import { useEffect, useRef, useState } from 'react';
import type { EngineStatus } from '../../shared/domain';
import { useConnection, useEngineClient } from './engine-context';

export function useEngineStatus(): EngineStatus | null {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const pushes = useRef(0);

  useEffect(
    () =>
      client.listen('engine.statusChanged', {}, (pushed) => {
        pushes.current += 1;
        setStatus(pushed);
      }),
    [client],
  );

  useEffect(() => {
    if (linkEpoch === 0) return;
    let cancelled = false;
    const pushesBefore = pushes.current;
    client.call('engine.status', {}).then(
      (value) => {
        if (!cancelled && pushes.current === pushesBefore) setStatus(value);
      },
      // The connection state in the status bar already tells this story.
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [client, linkEpoch]);

  return status;
}

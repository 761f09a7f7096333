/** Messages from the engine that failed validation: counted for the status bar, never fatal. */
import { useEffect, useState } from 'react';
import { useEngineClient } from './engine-context';

export interface ProtocolErrors {
  count: number;
  last: string | null;
}

export function useProtocolErrors(): ProtocolErrors {
  const client = useEngineClient();
  const [errors, setErrors] = useState<ProtocolErrors>({ count: 0, last: null });
  useEffect(
    () =>
      client.onProtocolError((error) => {
        console.warn('engine protocol error', error.code, error.message);
        setErrors((previous) => ({ count: previous.count + 1, last: `${error.code}: ${error.message}` }));
      }),
    [client],
  );
  return errors;
}

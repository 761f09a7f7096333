/**
 * A yes/no choice of the trader that the window remembers across restarts (in localStorage), such as
 * whether a panel is folded away. The strategy column, the news panel and the meta panel use it.
 */
import { useCallback, useState } from 'react';

function readFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

/**
 * The flag stored under `key` ('1' or '0'; false when unset or storage is unavailable) and a setter that
 * stores it. A page without storage just does not remember.
 */
export function useRememberedFlag(key: string): [boolean, (next: boolean) => void] {
  const [flag, setFlagState] = useState(() => readFlag(key));
  const setFlag = useCallback(
    (next: boolean) => {
      setFlagState(next);
      try {
        localStorage.setItem(key, next ? '1' : '0');
      } catch {
        // A page without storage just does not remember.
      }
    },
    [key],
  );
  return [flag, setFlag];
}

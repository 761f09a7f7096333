/**
 * Hands the engine link to components. The link is created once at startup (main.tsx) and lives as
 * long as the page, so the context value never changes.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { EngineClient } from '../../shared/rpc-client';
import type { ConnectionSnapshot, EngineLink, LinkProblem } from './connect';
import type { ReadableStore } from './value-store';

const EngineLinkContext = createContext<EngineLink | null>(null);

export function EngineProvider({ link, children }: { link: EngineLink; children: ReactNode }) {
  return <EngineLinkContext.Provider value={link}>{children}</EngineLinkContext.Provider>;
}

function useEngineLink(): EngineLink {
  const link = useContext(EngineLinkContext);
  if (!link) throw new Error('EngineProvider is missing above this component');
  return link;
}

export function useStore<T>(store: ReadableStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}

export function useEngineClient(): EngineClient {
  return useEngineLink().client;
}

export function useConnection(): ConnectionSnapshot {
  return useStore(useEngineLink().connection);
}

export function useLinkProblem(): LinkProblem | null {
  return useStore(useEngineLink().problem);
}

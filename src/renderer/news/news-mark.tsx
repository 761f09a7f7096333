/**
 * The news item the trader marked on the charts (clicked in the news panel): its publication time and
 * a label. App.tsx holds it; every chart pane draws a time line there. Marking never moves the replay.
 */
import { createContext, useContext, type ReactNode } from 'react';

export interface NewsMark {
  /** The item's id (clicking it again clears the mark). */
  id: string;
  /** Published (epoch ms UTC). */
  time: number;
  /** The line's tooltip: time and headline. */
  label: string;
}

const NewsMarkContext = createContext<NewsMark | null>(null);

export function NewsMarkProvider({ value, children }: { value: NewsMark | null; children: ReactNode }) {
  return <NewsMarkContext.Provider value={value}>{children}</NewsMarkContext.Provider>;
}

/** The marked news item, or null (none marked, or outside a provider). */
export function useNewsMark(): NewsMark | null {
  return useContext(NewsMarkContext);
}

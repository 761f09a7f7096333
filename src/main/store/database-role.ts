/**
 * A database holds either a generated demo world or real market data, never both: generated bars must
 * never be taken for real ones (in a chart, a replay or, later, a model's training set). A demo world
 * marks its database with a setting; everything that writes real data refuses a marked database.
 */
import { z } from 'zod';
import { StoreError } from './errors';
import type { SettingsRepository } from './settings-repository';

/** The setting a demo world keeps its state under; its presence marks the database as a demo world's. */
export const DEMO_WORLD_KEY = 'demo.world';

/** Real market data was about to be written into a demo world's database. */
export class DemoWorldDatabaseError extends StoreError {
  constructor(path: string) {
    super(
      `${path} holds a generated demo world; real market data is kept apart from it. ` +
        'Use the market database (the default) or another --db.',
      path,
    );
  }
}

/** Whether the database holds a demo world. */
export function holdsDemoWorld(settings: SettingsRepository): boolean {
  return settings.get(DEMO_WORLD_KEY, z.unknown()) !== undefined;
}

/** Throws DemoWorldDatabaseError when the database at `path` holds a demo world. */
export function refuseDemoWorld(store: { path: string; settings: SettingsRepository }): void {
  if (holdsDemoWorld(store.settings)) throw new DemoWorldDatabaseError(store.path);
}

/**
 * Keeps the trader's workspace (shared/domain/workspace.ts) in a database's settings under
 * 'workspace': the demo world's database in demo mode, the market database in paper, live and replay (a
 * replay's own store is scratch, gone at stop). A kept value of another shape reads as none (the settings
 * report it), so the window falls back to its defaults instead of failing.
 */
import type { z } from 'zod';
import type { RequestHandlers } from '../../shared/api';
import { KeptWorkspaceSchema, WorkspaceSchema, type Workspace } from '../../shared/domain';

/** The settings key the workspace is kept under. */
export const WORKSPACE_KEY = 'workspace';

/** The settings the service keeps its value in (a SettingsRepository satisfies it). */
export interface WorkspaceSettings {
  get<T>(key: string, schema: z.ZodType<T>): T | undefined;
  set(key: string, value: unknown): void;
}

export class WorkspaceService {
  readonly handlers: Pick<RequestHandlers, 'workspace.get' | 'workspace.set'>;

  constructor(private readonly settings: WorkspaceSettings) {
    this.handlers = {
      'workspace.get': () => this.get(),
      'workspace.set': (workspace) => {
        this.set(workspace);
        return null;
      },
    };
  }

  /** The kept workspace (an older version upgraded), or null when none is kept or it has another shape. */
  get(): Workspace | null {
    return this.settings.get(WORKSPACE_KEY, KeptWorkspaceSchema) ?? null;
  }

  /** Keeps `workspace` (validated again here: callers inside the engine skip the transport's check). */
  set(workspace: Workspace): void {
    this.settings.set(WORKSPACE_KEY, WorkspaceSchema.parse(workspace));
  }
}

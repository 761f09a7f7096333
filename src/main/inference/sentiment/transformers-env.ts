/**
 * transformers.js set up for the workstation: local folders only, nothing downloaded by it (models come
 * from `trm models fetch`, which verifies checksums), no cache written outside the model folder.
 */
import { env } from '@huggingface/transformers';

/** Applies the offline settings (idempotent; the settings are process-wide). */
export function useLocalModelsOnly(): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;
}

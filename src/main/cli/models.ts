/**
 * `trm models list [--json]`, `trm models fetch <name> [--dir DIR]`, `trm models manifest [--write]`: the
 * model registry (models/manifest.json): what is known and installed, fetching a model from the Hugging
 * Face hub (TRM_HF_ENDPOINT overrides the hub's address), and refreshing the shipped models' checksums
 * after a retrain. Options and help here; models-run.ts loads when a command runs.
 */
import type { Command } from 'commander';

export interface ModelsListOptions {
  json?: boolean;
}
export interface ModelsFetchOptions {
  dir?: string;
}
export interface ModelsManifestOptions {
  write?: boolean;
}

export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('the model registry: list models, fetch one from the Hugging Face hub, refresh checksums');
  models
    .command('list')
    .description(
      'list every registry model: task, installed (folder present, checksums match), size, licence',
    )
    .option('--json', 'print {"models": [{"name", "task", "installed", "bytes", "licence", ...}]}')
    .action(async (options: ModelsListOptions) => {
      const { runModelsList } = await import('./models-run');
      await runModelsList(options);
    });
  models
    .command('fetch')
    .description(
      'download a registry model from the Hugging Face hub (pinned revision, checksums verified, resumable)',
    )
    .argument('<name>', 'registry name, e.g. finbert (trm models list shows them)')
    .option('--dir <dir>', 'folder to install into (default: <data folder>/models/fetched)')
    .action(async (name: string, options: ModelsFetchOptions) => {
      const { runModelsFetch } = await import('./models-run');
      await runModelsFetch(name, options);
    });
  models
    .command('manifest')
    .description("check the shipped models' sizes and sha256 in models/manifest.json; --write refreshes them")
    .option('--write', 'rewrite the shipped entries from the folders (after a retrain)')
    .action(async (options: ModelsManifestOptions) => {
      const { runModelsManifest } = await import('./models-run');
      await runModelsManifest(options);
    });
}

/**
 * `trm import [--db PATH] [--json] <file|dir>...`: price history files into the market database. Its
 * options and help; what it runs (the importer, the store, the progress bar) loads from import-run.ts
 * only when it runs.
 */
import type { Command } from 'commander';

export interface ImportCommandOptions {
  db?: string;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import price history files (Yahoo, Stooq, CBOE or OHLCV CSV; daily, 1-minute or 5-minute bars) ' +
        'into the market database; a folder imports its .csv, .txt and .tsv files',
    )
    .argument('<paths...>', 'files or folders to import')
    .option('--db <path>', 'database file (default: market.sqlite in the user data folder)')
    .option('--json', 'print the report as one JSON object on stdout, and nothing else there')
    .action(async (paths: string[], options: ImportCommandOptions) => {
      // The parser thread boots while this thread loads the importer, zod and the store (~150 ms each).
      const worker = await import('../market/import/worker-client');
      worker.prestartImportWorker();
      try {
        const { runImport } = await import('./import-run');
        process.exitCode = await runImport(paths, options);
      } finally {
        await worker.releasePrestartedWorker();
      }
    });
}

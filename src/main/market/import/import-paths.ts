/**
 * The files an import reads: files named on the command line are read whatever their name; a folder
 * contributes its own .csv, .txt and .tsv files (not its subfolders, not hidden files), by name.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const TABLE_FILE = /\.(csv|txt|tsv)$/i;

export interface ImportPaths {
  /** Files to import, as given or joined to their folder. */
  files: string[];
  /** Paths that could not be used, with the reason. */
  problems: { path: string; reason: string }[];
}

export function expandImportPaths(paths: readonly string[]): ImportPaths {
  const files: string[] = [];
  const problems: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    files.push(file);
  };
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      problems.push({ path, reason: 'no such file or folder' });
      continue;
    }
    if (!isDirectory) {
      add(path);
      continue;
    }
    const entries = readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && TABLE_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
    if (entries.length === 0) problems.push({ path, reason: 'the folder has no .csv, .txt or .tsv files' });
    for (const name of entries) add(join(path, name));
  }
  return { files, problems };
}

/**
 * What `trm models list|fetch|manifest` run (loaded only then; options in models.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { HubFetchError, HubUnreachableError, fetchHubModel, hubEndpoint } from '../inference/hub-fetch';
import {
  SHIPPED_FILES,
  defaultModelFor,
  describeFiles,
  findModel,
  installedModel,
  readModelRegistry,
  writeModelRegistry,
  type ModelEntry,
  type ModelRegistry,
} from '../inference/model-registry';
import { defaultModelDir, fetchedModelsDir } from '../platform/paths';
import type { ModelsFetchOptions, ModelsListOptions, ModelsManifestOptions } from './models';

/** The repository's (or packaged app's) `models/` folder, which holds manifest.json. */
export function modelsDir(): string {
  return dirname(defaultModelDir());
}

function fail(message: string): void {
  process.stderr.write(`trm: ${message}\n`);
  process.exitCode = 1;
}

function megabytes(bytes: number): string {
  return bytes === 0 ? '-' : `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;
}

/** The registry of `dir`, or null after reporting why it cannot be read (exit code 1). */
function registryOrFail(dir: string): ModelRegistry | null {
  try {
    return readModelRegistry(dir);
  } catch (error) {
    fail((error as Error).message);
    return null;
  }
}

export async function runModelsList(options: ModelsListOptions): Promise<void> {
  const dir = modelsDir();
  const registry = registryOrFail(dir);
  if (registry === null) return;
  const fetched = fetchedModelsDir();
  const rows = [];
  for (const entry of registry.models) {
    const state = await installedModel(entry, dir, fetched);
    rows.push({
      name: entry.name,
      task: entry.task,
      installed: state.installed,
      bytes: state.bytes,
      licence: entry.licence,
      default: entry.default,
      origin: entry.origin.kind === 'shipped' ? 'shipped' : `${entry.origin.repo}@${entry.origin.revision}`,
      dir: state.dir,
      problem: state.problem,
    });
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ models: rows }, null, 2)}\n`);
    return;
  }
  const table = [
    ['name', 'task', 'installed', 'size', 'licence', 'origin'],
    ...rows.map((r) => [
      `${r.name}${r.default ? ' *' : ''}`,
      r.task,
      r.installed ? 'yes' : 'no',
      megabytes(r.bytes),
      r.licence,
      r.origin,
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table)
    process.stdout.write(
      `${row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  process.stdout.write('* the default for its task\n');
  for (const r of rows.filter((row) => !row.installed && row.origin === 'shipped'))
    process.stdout.write(`${r.name}: not installed: ${r.problem}\n`);
}

export async function runModelsFetch(name: string, options: ModelsFetchOptions): Promise<void> {
  let registry: ModelRegistry;
  let entry: ModelEntry;
  try {
    registry = readModelRegistry(modelsDir());
    entry = findModel(registry, name);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (entry.origin.kind === 'shipped')
    return fail(`${name} ships with the workstation (models/${entry.origin.dir}); there is nothing to fetch`);
  const dir = resolve(options.dir ?? fetchedModelsDir());
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: '{bar} {percentage}% | {value}/{total} MB | {file}', hideCursor: true })
    : null;
  let started = false;
  let lastFile = '';
  try {
    const record = await fetchHubModel(entry, {
      dir,
      endpoint: hubEndpoint(),
      onProgress: (p) => {
        const mb = (n: number) => Math.round(n / 1e5) / 10;
        if (bar) {
          if (!started) bar.start(mb(p.total), 0, { file: p.file });
          started = true;
          bar.update(mb(p.done), { file: p.file });
        } else if (p.file !== lastFile) {
          process.stderr.write(`downloading ${p.file}\n`);
        }
        lastFile = p.file;
      },
    }).finally(() => bar?.stop());
    const bytes = record.files.reduce((a, f) => a + f.bytes, 0);
    process.stdout.write(
      `${name} installed in ${join(dir, name)} (${record.repo}@${record.revision.slice(0, 12)}, ${megabytes(bytes)}, checksums verified)\n`,
    );
  } catch (error) {
    if (error instanceof HubUnreachableError) {
      const fallback = defaultModelFor(registry, entry.task);
      const instead =
        fallback && fallback.name !== name
          ? `the workstation uses ${fallback.name} instead`
          : 'the workstation runs without it';
      return fail(`${error.message}: ${name} is not installed; ${instead}`);
    }
    if (error instanceof HubFetchError) return fail(error.message);
    throw error;
  }
}

export async function runModelsManifest(options: ModelsManifestOptions): Promise<void> {
  const dir = modelsDir();
  const registry = registryOrFail(dir);
  if (registry === null) return;
  const stale: string[] = [];
  const models: ModelEntry[] = [];
  for (const entry of registry.models) {
    if (entry.origin.kind !== 'shipped') {
      models.push(entry);
      continue;
    }
    const folder = join(dir, entry.origin.dir);
    const files = await describeFiles(folder, SHIPPED_FILES[entry.task]);
    const labels = labelsOf(folder, entry) ?? entry.labels;
    if (
      JSON.stringify(files) !== JSON.stringify(entry.files) ||
      JSON.stringify(labels) !== JSON.stringify(entry.labels)
    )
      stale.push(entry.name);
    models.push({ ...entry, files, labels });
  }
  if (options.write) {
    writeModelRegistry(dir, { ...registry, models });
    process.stdout.write(
      stale.length > 0
        ? `updated ${stale.join(', ')} in ${join(dir, 'manifest.json')}\n`
        : 'manifest.json is up to date\n',
    );
    return;
  }
  if (stale.length > 0)
    return fail(`models/manifest.json is stale for ${stale.join(', ')}: run npm run models-manifest`);
  process.stdout.write('manifest.json is up to date\n');
}

/** A shipped sentiment folder's labels from its config.json (id2label in output order). */
function labelsOf(folder: string, entry: ModelEntry): string[] | null {
  if (entry.task === 'strategy') return null;
  const config = join(folder, 'config.json');
  if (!existsSync(config)) return null;
  try {
    const id2label = (JSON.parse(readFileSync(config, 'utf8')) as { id2label?: Record<string, string> })
      .id2label;
    if (!id2label) return null;
    return Object.keys(id2label)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => id2label[k]!);
  } catch {
    return null;
  }
}

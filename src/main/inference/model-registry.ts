/**
 * The model registry: `models/manifest.json` lists every model the workstation knows (the shipped
 * strategy and sentiment models, and models it can fetch from the Hugging Face hub), with each file's
 * size and sha256, the licence and where it comes from. Validated on read; `installedModel` says whether
 * a model's folder is present and its checksums match.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';

export const MODEL_TASKS = ['strategy', 'sentiment', 'zero-shot-catalysts'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits');

export const ModelFileSchema = z.object({
  /** Path inside the model folder, with '/' separators (e.g. "onnx/model.onnx"). */
  path: z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a path inside the folder'),
  /** Size in bytes; null when not pinned here (a hub file: its tree API gives it at fetch time). */
  bytes: z.number().int().nonnegative().nullable(),
  /** sha256 of the bytes; null when not pinned here (a hub file: the hub's LFS sha256 is used). */
  sha256: Sha256.nullable(),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

export const ModelOriginSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('shipped'),
    /** Folder under `models/` in the repository (in the packaged app: under resources/models). */
    dir: z.string().min(1),
  }),
  z.object({
    kind: z.literal('huggingface'),
    /** Hub repository, owner/name. */
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'),
    /** A commit of that repository (40 hex; a 7+ hex prefix when only the short id is known). */
    revision: z.string().regex(/^[0-9a-f]{7,40}$/, 'a commit id (hex)'),
    /** The ONNX file in the repository that becomes the folder's onnx/model.onnx. */
    onnx: z.string().min(1),
  }),
]);
export type ModelOrigin = z.infer<typeof ModelOriginSchema>;

export const ModelEntrySchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  task: z.enum(MODEL_TASKS),
  /** The model's output labels in its own order (config.json's id2label; the strategy ids for the TRM). */
  labels: z.array(z.string()).min(1),
  files: z.array(ModelFileSchema),
  licence: z.string().min(1),
  origin: ModelOriginSchema,
  description: z.string(),
  /** The model the workstation uses for its task when nothing else is chosen (one per task at most). */
  default: z.boolean(),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

export const ModelRegistrySchema = z
  .object({
    /** Where the facts come from (checksums, revisions), for whoever edits this file. */
    notes: z.array(z.string()),
    models: z.array(ModelEntrySchema),
  })
  .superRefine((registry, ctx) => {
    const names = new Set<string>();
    for (const [i, model] of registry.models.entries()) {
      if (names.has(model.name))
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'name'],
          message: `${model.name} is listed twice`,
        });
      names.add(model.name);
    }
    for (const task of MODEL_TASKS) {
      if (registry.models.filter((m) => m.task === task && m.default).length > 1)
        ctx.addIssue({ code: 'custom', path: ['models'], message: `more than one default for ${task}` });
    }
  });
export type ModelRegistry = z.infer<typeof ModelRegistrySchema>;

/** The files a shipped folder's loader reads, by task (reports and model cards are not listed). */
export const SHIPPED_FILES: Readonly<Record<ModelTask, readonly string[]>> = {
  strategy: ['manifest.json', 'model.onnx'],
  sentiment: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'manifest.json'],
  'zero-shot-catalysts': ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'],
};

/** The registry's file name inside the `models/` folder. */
export const REGISTRY_FILE = 'manifest.json';

/**
 * Reads and validates `<modelsDir>/manifest.json`.
 * @throws Error naming the file: missing, not JSON, or not a registry (the first issues listed).
 */
export function readModelRegistry(modelsDir: string): ModelRegistry {
  const file = join(modelsDir, REGISTRY_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `${file} does not exist: the model registry ships with the workstation; reinstall it`
        : `${file} cannot be read as JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  const parsed = ModelRegistrySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`)
      .join('; ');
    throw new Error(`${file} is not a model registry this version reads (${issues})`);
  }
  return parsed.data;
}

/** Writes the registry (two-space JSON, trailing newline) after validating it. */
export function writeModelRegistry(modelsDir: string, registry: ModelRegistry): void {
  const valid = ModelRegistrySchema.parse(registry);
  writeFileSync(join(modelsDir, REGISTRY_FILE), `${JSON.stringify(valid, null, 2)}\n`);
}

/** Looks a model up by name. @throws Error listing the known names when there is none. */
export function findModel(registry: ModelRegistry, name: string): ModelEntry {
  const entry = registry.models.find((m) => m.name === name);
  if (!entry)
    throw new Error(
      `no model named "${name}" in the registry; known: ${registry.models.map((m) => m.name).join(', ')}`,
    );
  return entry;
}

/** The default model of a task, if the registry names one. */
export function defaultModelFor(registry: ModelRegistry, task: ModelTask): ModelEntry | undefined {
  return registry.models.find((m) => m.task === task && m.default);
}

/** sha256 of a file, streamed (hex). */
export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Where a model's folder is: shipped under `modelsDir`, fetched under `fetchedDir`. */
export function modelFolderOf(entry: ModelEntry, modelsDir: string, fetchedDir: string): string {
  return entry.origin.kind === 'shipped' ? join(modelsDir, entry.origin.dir) : join(fetchedDir, entry.name);
}

export interface InstalledState {
  installed: boolean;
  dir: string;
  /** Sum of the files' sizes on disk (bytes), 0 when absent. */
  bytes: number;
  /** Why the model is not installed (missing folder, a missing file, a checksum mismatch), else null. */
  problem: string | null;
}

/**
 * Whether a model's folder is present and each listed file has its size and sha256 (a file whose
 * checksum is not pinned in the registry must still be present; a fetched folder's own record,
 * `.trm-fetched.json`, holds the checksums verified at download and is checked instead).
 */
export async function installedModel(
  entry: ModelEntry,
  modelsDir: string,
  fetchedDir: string,
): Promise<InstalledState> {
  const dir = modelFolderOf(entry, modelsDir, fetchedDir);
  if (!existsSync(dir)) return { installed: false, dir, bytes: 0, problem: `${dir} does not exist` };
  let files = entry.files;
  if (entry.origin.kind === 'huggingface') {
    const record = readFetchedRecord(dir);
    if (!record)
      return { installed: false, dir, bytes: 0, problem: `${dir} has no record of a completed fetch` };
    files = record.files;
  }
  if (files.length === 0)
    return { installed: false, dir, bytes: 0, problem: `the registry lists no files for ${entry.name}` };
  let bytes = 0;
  for (const file of files) {
    const path = join(dir, ...file.path.split('/'));
    if (!existsSync(path)) return { installed: false, dir, bytes, problem: `${path} is missing` };
    const size = statSync(path).size;
    bytes += size;
    if (file.bytes !== null && size !== file.bytes)
      return {
        installed: false,
        dir,
        bytes,
        problem: `${path} has ${size} bytes, the registry says ${file.bytes}`,
      };
    if (file.sha256 !== null && (await sha256OfFile(path)) !== file.sha256)
      return { installed: false, dir, bytes, problem: `${path} does not match its sha256 in the registry` };
  }
  return { installed: true, dir, bytes, problem: null };
}

/** What `trm models fetch` writes into a completed folder, last, so its presence means the folder is complete. */
export const FetchedRecordSchema = z.object({
  name: z.string(),
  repo: z.string(),
  /** The full commit id the files came from. */
  revision: z.string(),
  fetchedAt: z.string(),
  files: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: Sha256 })),
});
export type FetchedRecord = z.infer<typeof FetchedRecordSchema>;
export const FETCHED_RECORD_FILE = '.trm-fetched.json';

export function readFetchedRecord(dir: string): FetchedRecord | null {
  try {
    const parsed = FetchedRecordSchema.safeParse(
      JSON.parse(readFileSync(join(dir, FETCHED_RECORD_FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The files of a shipped folder as the registry lists them (sorted paths, sizes, sha256), for
 * `trm models manifest`: `include` picks the files (the ones a loader reads, not reports).
 */
export async function describeFiles(dir: string, include: readonly string[]): Promise<ModelFile[]> {
  const out: ModelFile[] = [];
  for (const path of [...include].sort()) {
    const full = join(dir, ...path.split('/'));
    if (!existsSync(full)) continue;
    out.push({
      path: relative(dir, full).split(sep).join('/'),
      bytes: statSync(full).size,
      sha256: await sha256OfFile(full),
    });
  }
  return out;
}

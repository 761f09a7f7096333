/**
 * Downloads a registry model from the Hugging Face hub into `<fetched models>/<name>`: resolves the pinned
 * revision to its full commit, lists the repository's files with the hub's tree API, downloads
 * config.json, tokenizer.json, tokenizer_config.json and the pinned ONNX file (saved as onnx/model.onnx),
 * verifies each against the hub's checksums (LFS files: sha256 = the tree API's `lfs.oid`; other files:
 * the git blob id, sha1 of "blob <size>\0" + bytes) and against the registry where it pins them, then
 * moves the folder into place in one rename. Partial downloads are kept in `<name>.partial/` and resumed
 * with HTTP Range requests, so a folder named `<name>` is always complete.
 *
 * Hub endpoints (huggingface_hub's own): GET /api/models/{repo}/revision/{rev} (model info with `sha`),
 * GET /api/models/{repo}/tree/{sha}?recursive=true, GET /{repo}/resolve/{sha}/{path}.
 */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { FETCHED_RECORD_FILE, sha256OfFile, type FetchedRecord, type ModelEntry } from './model-registry';

/** The hub's address unless TRM_HF_ENDPOINT says otherwise (tests point it at a loopback server). */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.TRM_HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
}

/** The hub cannot be reached at all (DNS, refused or reset connection, timeout): likely offline. */
export class HubUnreachableError extends Error {
  constructor(
    readonly host: string,
    cause: unknown,
  ) {
    super(`cannot reach ${host} (no internet connection?)`, { cause });
    this.name = 'HubUnreachableError';
  }
}

/** The hub answered, but not with what the registry pins (missing file, checksum mismatch, HTTP error). */
export class HubFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubFetchError';
  }
}

const TreeEntrySchema = z.object({
  type: z.string(),
  path: z.string(),
  oid: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  lfs: z.object({ oid: z.string(), size: z.number().int().nonnegative() }).nullish(),
});
type TreeEntry = z.infer<typeof TreeEntrySchema>;

/** The files a folder needs, as (path in the repository, path in the folder). */
function wantedFiles(onnx: string): { remote: string; local: string }[] {
  return [
    { remote: 'config.json', local: 'config.json' },
    { remote: 'tokenizer.json', local: 'tokenizer.json' },
    { remote: 'tokenizer_config.json', local: 'tokenizer_config.json' },
    { remote: onnx, local: 'onnx/model.onnx' },
  ];
}

export interface FetchProgress {
  /** Bytes downloaded so far (including bytes resumed from an earlier attempt). */
  done: number;
  total: number;
  file: string;
}

export interface FetchOptions {
  /** Folder that receives `<name>/` (fetchedModelsDir() by default in the CLI). */
  dir: string;
  endpoint?: string;
  onProgress?: (progress: FetchProgress) => void;
  /** For tests: the fetch function (default globalThis.fetch). */
  fetchImpl?: typeof fetch;
}

const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function isUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Fetches `entry` (a huggingface-origin registry entry) into `<options.dir>/<entry.name>` and returns
 * the record written beside its files.
 * @throws HubUnreachableError when the hub cannot be reached; HubFetchError when a file is missing on
 *   the hub, a download fails, or a checksum does not match (the bad file is deleted, never kept).
 */
export async function fetchHubModel(entry: ModelEntry, options: FetchOptions): Promise<FetchedRecord> {
  if (entry.origin.kind !== 'huggingface')
    throw new HubFetchError(`${entry.name} ships with the workstation; there is nothing to fetch`);
  const { repo, revision, onnx } = entry.origin;
  const endpoint = (options.endpoint ?? hubEndpoint()).replace(/\/+$/, '');
  const host = new URL(endpoint).host;
  const fetchImpl = options.fetchImpl ?? fetch;

  const request = async (url: string, init?: RequestInit): Promise<Response> => {
    try {
      return await fetchImpl(url, init);
    } catch (error) {
      if (isUnreachable(error)) throw new HubUnreachableError(host, error);
      throw new HubFetchError(`${url}: ${(error as Error).message}`);
    }
  };
  const json = async (url: string): Promise<unknown> => {
    const response = await request(url, { headers: { accept: 'application/json' } });
    if (!response.ok)
      throw new HubFetchError(
        response.status === 404
          ? `${url}: not found (404); the repository or revision ${revision} may have been removed`
          : `${url}: HTTP ${response.status}`,
      );
    return response.json();
  };

  // 1. The full commit of the pinned revision (a short id is resolved by the hub).
  const info = z
    .object({ sha: z.string().regex(/^[0-9a-f]{40}$/) })
    .safeParse(await json(`${endpoint}/api/models/${repo}/revision/${revision}`));
  if (!info.success || !info.data.sha.startsWith(revision))
    throw new HubFetchError(`${repo}: the hub did not resolve revision ${revision} to a matching commit`);
  const sha = info.data.sha;

  // 2. The files with their sizes and checksums.
  const tree = z
    .array(TreeEntrySchema)
    .safeParse(await json(`${endpoint}/api/models/${repo}/tree/${sha}?recursive=true`));
  if (!tree.success)
    throw new HubFetchError(`${repo}@${sha}: the hub's file list is not in the expected form`);
  const byPath = new Map<string, TreeEntry>(
    tree.data.filter((e) => e.type === 'file').map((e) => [e.path, e]),
  );
  const files = wantedFiles(onnx).map((f) => {
    const found = byPath.get(f.remote);
    if (!found) throw new HubFetchError(`${repo}@${sha.slice(0, 12)} has no ${f.remote}`);
    const size = found.lfs?.size ?? found.size;
    if (size === undefined) throw new HubFetchError(`${repo}: the hub gives no size for ${f.remote}`);
    return { ...f, size, tree: found };
  });
  const total = files.reduce((a, f) => a + f.size, 0);

  // 3. Download into <name>.partial, resuming what an earlier attempt left.
  const finalDir = join(options.dir, entry.name);
  const partial = `${finalDir}.partial`;
  mkdirSync(partial, { recursive: true });
  let done = 0;
  const record: FetchedRecord = {
    name: entry.name,
    repo,
    revision: sha,
    fetchedAt: new Date().toISOString(),
    files: [],
  };
  for (const file of files) {
    const target = join(partial, ...file.local.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    const part = `${target}.part`;
    if (existsSync(target) && statSync(target).size === file.size) {
      // Completed and verified by an earlier attempt (verified files only lose their .part suffix).
      done += file.size;
    } else {
      await download(`${endpoint}/${repo}/resolve/${sha}/${file.remote}`, part, file.size, (bytes) => {
        options.onProgress?.({ done: done + bytes, total, file: file.local });
      });
      done += file.size;
      const problem = await verify(part, file.tree, entry, file.local);
      if (problem) {
        rmSync(part, { force: true });
        throw new HubFetchError(
          `${repo}/${file.remote}: ${problem}; the file was deleted, run trm models fetch again`,
        );
      }
      renameSync(part, target);
    }
    options.onProgress?.({ done, total, file: file.local });
    record.files.push({ path: file.local, bytes: file.size, sha256: await sha256OfFile(target) });
  }

  // 4. The record, then one rename: <name>/ appears complete or not at all.
  writeFileSync(join(partial, FETCHED_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  if (existsSync(finalDir)) rmSync(finalDir, { recursive: true, force: true });
  renameSync(partial, finalDir);
  return record;

  async function download(
    url: string,
    part: string,
    size: number,
    onBytes: (n: number) => void,
  ): Promise<void> {
    const have = existsSync(part) ? statSync(part).size : 0;
    const resume = have > 0 && have < size;
    const response = await request(url, resume ? { headers: { range: `bytes=${have}-` } } : undefined);
    if (!response.ok || !response.body)
      throw new HubFetchError(
        response.status === 404 ? `${url}: not found (404)` : `${url}: HTTP ${response.status}`,
      );
    const append = resume && response.status === 206;
    const handle = await open(part, append ? 'a' : 'w');
    let bytes = append ? have : 0;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await handle.write(chunk);
        bytes += chunk.byteLength;
        onBytes(bytes);
      }
    } catch (error) {
      // Keep what arrived: the next attempt resumes from it.
      throw new HubFetchError(
        `${url}: the download broke off after ${bytes} bytes (${(error as Error).message}); run trm models fetch again to resume`,
      );
    } finally {
      await handle.close();
    }
    if (bytes < size)
      throw new HubFetchError(
        `${url}: the download ended after ${bytes} of ${size} bytes; run trm models fetch again to resume`,
      );
  }
}

/** Why a downloaded file is not the one the hub and the registry describe, else null. */
async function verify(
  path: string,
  tree: TreeEntry,
  entry: ModelEntry,
  local: string,
): Promise<string | null> {
  const size = statSync(path).size;
  const pinned = entry.files.find((f) => f.path === local);
  if (tree.lfs) {
    if (size !== tree.lfs.size) return `size ${size} is not the hub's ${tree.lfs.size}`;
    const sha256 = await sha256OfFile(path);
    if (sha256 !== tree.lfs.oid) return `sha256 ${sha256} is not the hub's ${tree.lfs.oid}`;
    if (pinned?.sha256 && pinned.sha256 !== sha256)
      return `sha256 ${sha256} is not the registry's ${pinned.sha256}`;
    return null;
  }
  if (tree.oid) {
    const blob = await gitBlobSha1(path, size);
    if (blob !== tree.oid) return `git blob id ${blob} is not the hub's ${tree.oid}`;
  }
  if (pinned?.sha256 && pinned.sha256 !== (await sha256OfFile(path)))
    return `sha256 does not match the registry's ${pinned.sha256}`;
  return null;
}

/** git's object id of a file: sha1 of "blob <size>\0" followed by the bytes. */
export function gitBlobSha1(path: string, size: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha1').update(`blob ${size}\0`);
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

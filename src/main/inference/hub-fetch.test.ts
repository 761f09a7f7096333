import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../platform/log';
import { writeBertFolder } from '../test-support/bert-folder';
import { startHubServer, type HubServer } from '../test-support/hf-server';
import { HubFetchError, HubUnreachableError, fetchHubModel, type FetchProgress } from './hub-fetch';
import { installedModel, type ModelEntry } from './model-registry';
import { loadSentimentModel } from './sentiment/sentiment-model';

const root = mkdtempSync(join(tmpdir(), 'hub-fetch-'));
const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const source = writeBertFolder(join(root, 'source'));

function filesOf(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full).split('\\').join('/'), readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

const entry: ModelEntry = {
  name: 'finbert',
  task: 'sentiment',
  labels: ['positive', 'negative', 'neutral'],
  files: [],
  licence: 'test',
  origin: { kind: 'huggingface', repo: 'Xenova/finbert', revision: SHA.slice(0, 7), onnx: 'onnx/model.onnx' },
  description: 'fixture',
  default: false,
};

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer([{ repo: 'Xenova/finbert', sha: SHA, files: filesOf(source) }]);
});
afterEach(() => {
  hub.faults.corrupt = undefined;
  hub.faults.breakOnce = undefined;
});
afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

describe('fetchHubModel', () => {
  it('downloads, verifies and installs a folder that the sentiment loader loads, with progress', async () => {
    const dir = join(root, 'ok');
    const progress: FetchProgress[] = [];
    const record = await fetchHubModel(entry, {
      dir,
      endpoint: hub.endpoint,
      onProgress: (p) => progress.push(p),
    });
    expect(record.revision).toBe(SHA);
    expect(record.files.map((f) => f.path)).toEqual([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model.onnx',
    ]);
    const total = progress[0]!.total;
    expect(progress.at(-1)!.done).toBe(total);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
    expect(existsSync(join(dir, 'finbert.partial'))).toBe(false);
    expect(await installedModel(entry, root, dir)).toMatchObject({ installed: true, problem: null });

    const model = await loadSentimentModel(join(dir, 'finbert'), {
      log: createMemoryLogger(),
      device: 'cpu',
    });
    try {
      expect(model.info.name).toBe('finbert');
      expect(model.info.version).toBe(`Xenova/finbert@${SHA.slice(0, 12)}`);
      expect((await model.score(['record profit']))[0]!.label).toBe('positive');
    } finally {
      await model.close();
    }
  });

  it("refuses a file whose sha256 is not the hub's, deletes it and leaves no complete-looking folder", async () => {
    const dir = join(root, 'corrupt');
    hub.faults.corrupt = new Set(['onnx/model.onnx']);
    const error = await fetchHubModel(entry, { dir, endpoint: hub.endpoint }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubFetchError);
    expect((error as Error).message).toMatch(
      /onnx\/model\.onnx: sha256 [0-9a-f]{64} is not the hub's [0-9a-f]{64}/,
    );
    expect(existsSync(join(dir, 'finbert'))).toBe(false);
    expect(existsSync(join(dir, 'finbert.partial', 'onnx', 'model.onnx.part'))).toBe(false);
    expect(existsSync(join(dir, 'finbert.partial', 'onnx', 'model.onnx'))).toBe(false);
  });

  it('says 404 for a repository the hub does not have, and names a missing file', async () => {
    const gone = { ...entry, origin: { ...entry.origin, repo: 'Xenova/nothing-here' } };
    await expect(fetchHubModel(gone, { dir: join(root, 'gone'), endpoint: hub.endpoint })).rejects.toThrow(
      /not found \(404\)/,
    );
    const noOnnx = { ...entry, origin: { ...entry.origin, onnx: 'onnx/model_quantized.onnx' } };
    await expect(
      fetchHubModel(noOnnx, { dir: join(root, 'no-onnx'), endpoint: hub.endpoint }),
    ).rejects.toThrow(/has no onnx\/model_quantized\.onnx/);
  });

  it('resumes an interrupted download with a Range request', async () => {
    const dir = join(root, 'resume');
    hub.faults.breakOnce = { path: 'onnx/model.onnx', after: 100 };
    const first = await fetchHubModel(entry, { dir, endpoint: hub.endpoint }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(HubFetchError);
    expect(existsSync(join(dir, 'finbert'))).toBe(false);
    expect(statSync(join(dir, 'finbert.partial', 'onnx', 'model.onnx.part')).size).toBe(100);
    const before = hub.requests.length;
    await fetchHubModel(entry, { dir, endpoint: hub.endpoint });
    const again = hub.requests.slice(before);
    expect(again).toContain(`GET /Xenova/finbert/resolve/${SHA}/onnx/model.onnx bytes=100-`);
    // Files completed before the break are not downloaded again.
    expect(again.some((r) => r.includes('/resolve/') && r.endsWith('config.json'))).toBe(false);
    expect(await installedModel(entry, root, dir)).toMatchObject({ installed: true });
  });

  it('says plainly when the hub cannot be reached', async () => {
    // A port that was just free: the connection is refused, as when offline.
    const closed = await startHubServer([]);
    await closed.close();
    const host = new URL(closed.endpoint).host;
    const error = await fetchHubModel(entry, { dir: join(root, 'offline'), endpoint: closed.endpoint }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HubUnreachableError);
    expect((error as Error).message).toBe(`cannot reach ${host} (no internet connection?)`);
  });
});

/**
 * The one place ONNX Runtime sessions are created: CUDA when it is asked for and available, else the
 * CPU provider bundled with onnxruntime-node. Whether CUDA can be had is decided once per process and
 * remembered, so a machine without it pays (and logs) the failed attempt only once.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Logger } from '../platform/log';

export type ExecutionProvider = 'cuda' | 'cpu';

export interface OnnxSession {
  session: ort.InferenceSession;
  /** The provider that was granted. */
  provider: ExecutionProvider;
}

export interface SessionOptions {
  /** What the session holds, for the log line, e.g. "strategy model trm-20211231-a1b2c3". */
  label: string;
  log: Logger;
  /** Providers in order of preference; default ['cuda', 'cpu']. */
  providers?: readonly ExecutionProvider[];
  /** Threads for one operator; default ONNX Runtime's (one per core). */
  intraOpThreads?: number;
}

/** Why CUDA cannot be used in this process (null: it may be), once known. */
let cudaUnavailable: string | null | undefined;

/** The CUDA provider's library file beside onnxruntime-node's binding, for this platform. */
function cudaProviderLibrary(): string | null {
  const binding = join(
    dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  if (process.platform === 'linux') return join(binding, 'libonnxruntime_providers_cuda.so');
  if (process.platform === 'win32') return join(binding, 'onnxruntime_providers_cuda.dll');
  return null;
}

/**
 * Why CUDA is known not to work without trying (no provider library installed), else null. Checked
 * before asking ONNX Runtime, which otherwise prints its own error lines for the missing library.
 */
export function cudaPrecheck(): string | null {
  if (cudaUnavailable !== undefined) return cudaUnavailable;
  const library = cudaProviderLibrary();
  if (library === null) return `ONNX Runtime has no CUDA provider on ${process.platform}`;
  if (!existsSync(library))
    return `${basename(library)} is not installed; npm run postinstall fetches it where there is internet`;
  return null;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim().slice(0, 300);
}

/**
 * Opens `model` (a path or the bytes of an .onnx file) on the first provider of `providers` that works,
 * and logs exactly one info line saying which runs, e.g. "strategy model trm-… runs on CPU (CUDA
 * provider unavailable: <reason>)". Throws the CPU provider's error when the model cannot be loaded
 * at all (a corrupt file, an unsupported operator).
 */
export async function createOnnxSession(
  model: string | Uint8Array,
  options: SessionOptions,
): Promise<OnnxSession> {
  const providers = options.providers ?? ['cuda', 'cpu'];
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    ...(options.intraOpThreads !== undefined ? { intraOpNumThreads: options.intraOpThreads } : {}),
  };
  const create = (provider: ExecutionProvider): Promise<ort.InferenceSession> =>
    typeof model === 'string'
      ? ort.InferenceSession.create(model, { ...sessionOptions, executionProviders: [provider] })
      : ort.InferenceSession.create(model, { ...sessionOptions, executionProviders: [provider] });

  let cudaReason = 'not requested';
  if (providers.includes('cuda')) {
    const known = cudaPrecheck();
    if (known !== null) cudaReason = known;
    else {
      try {
        const session = await create('cuda');
        cudaUnavailable = null;
        options.log.info(`${options.label} runs on CUDA`);
        return { session, provider: 'cuda' };
      } catch (error) {
        cudaReason = firstLine(error);
        // A model that fails on CUDA may still load on CPU; the reason is kept only if CPU works.
      }
    }
  }
  if (!providers.includes('cpu'))
    throw new Error(`${options.label} cannot run: CUDA provider unavailable (${cudaReason})`);
  const session = await create('cpu');
  if (providers.includes('cuda') && cudaReason !== 'not requested') cudaUnavailable = cudaReason;
  options.log.info(
    `${options.label} runs on CPU (${cudaReason === 'not requested' ? 'CUDA not requested' : `CUDA provider unavailable: ${cudaReason}`})`,
  );
  return { session, provider: 'cpu' };
}

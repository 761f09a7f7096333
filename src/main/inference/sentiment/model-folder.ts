/**
 * Checks a Hugging Face model folder before transformers.js sees it, so a bad folder fails with a
 * message that names the file and says what to do (transformers.js's own errors name neither): the
 * folder, config.json (`model_type`, `id2label`), tokenizer.json, tokenizer_config.json and
 * onnx/model.onnx. Also reads what the workstation shows about the model (name, version, token limit).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { FETCHED_RECORD_FILE } from '../model-registry';
import { SentimentModelError } from './errors';

/** The files transformers.js reads from a text-classification folder (fp32 weights). */
export const HF_MODEL_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/model.onnx',
] as const;

/**
 * What `trm models fetch` writes beside the model's own files: where the folder came from. Read for the
 * version of a folder without a manifest.json (FinBERT and other hub models).
 */
export const FETCHED_MARKER = FETCHED_RECORD_FILE;

/** Tokens per text when tokenizer_config.json sets no usable `model_max_length` (BERT's). */
const DEFAULT_MAX_TOKENS = 512;

export interface ModelFolder {
  dir: string;
  /** Registry name, else the folder's name. */
  name: string;
  /** manifest.json's `version`, else the fetched revision (`<repo>@<12 hex>`), else 'unversioned'. */
  version: string;
  modelType: string;
  /** config.json's labels in output order. */
  labels: string[];
  id2label: Record<string, string>;
  maxTokens: number;
  onnxFile: string;
}

function readJson(dir: string, file: string, what: string): Record<string, unknown> {
  const path = join(dir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SentimentModelError(
      code === 'ENOENT'
        ? `${path} is missing: a model folder needs ${what}; copy the whole folder again or run trm models fetch`
        : `cannot read ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SentimentModelError(
      `${path} is not valid JSON (${(error as Error).message}); copy the folder again or run trm models fetch`,
      { cause: error },
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new SentimentModelError(`${path} must hold a JSON object`);
  return json as Record<string, unknown>;
}

function optionalJson(path: string): Record<string, unknown> | null {
  try {
    const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Reads and checks the folder's config and files (not the ONNX graph itself: ONNX Runtime parses that
 * when it loads). `name` overrides the folder's name as the model's name.
 * @throws SentimentModelError naming the first missing or unusable file.
 */
export function checkModelFolder(given: string, name?: string): ModelFolder {
  // transformers.js reads a relative path as a model id under its local model root, not as a folder.
  const dir = resolve(given);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new SentimentModelError(
      `model folder ${dir} does not exist: give a folder holding config.json, tokenizer.json, ` +
        'tokenizer_config.json and onnx/model.onnx (trm models list shows the installed ones)',
    );
  const config = readJson(dir, 'config.json', 'config.json with model_type and id2label');
  const configPath = join(dir, 'config.json');
  const modelType = config['model_type'];
  if (typeof modelType !== 'string' || modelType === '')
    throw new SentimentModelError(
      `${configPath} has no model_type (e.g. "bert"); transformers.js needs it to load the model`,
    );
  const id2label = config['id2label'];
  if (
    id2label === null ||
    typeof id2label !== 'object' ||
    Array.isArray(id2label) ||
    Object.values(id2label).some((v) => typeof v !== 'string') ||
    Object.keys(id2label).length === 0
  )
    throw new SentimentModelError(
      `${configPath} has no id2label (e.g. {"0": "negative", "1": "neutral", "2": "positive"}); ` +
        "the model's outputs cannot be named without it",
    );
  const labels = Object.keys(id2label)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => (id2label as Record<string, string>)[k]!);
  readJson(dir, 'tokenizer.json', 'tokenizer.json (the tokenizer)');
  const tokenizerConfig = readJson(
    dir,
    'tokenizer_config.json',
    'tokenizer_config.json (with model_max_length)',
  );
  const onnxFile = join(dir, 'onnx', 'model.onnx');
  if (!existsSync(onnxFile))
    throw new SentimentModelError(
      `${onnxFile} is missing: the model's weights are in onnx/model.onnx; copy the folder again or run trm models fetch`,
    );
  if (statSync(onnxFile).size === 0)
    throw new SentimentModelError(`${onnxFile} is empty: copy the folder again or run trm models fetch`);
  const limit = Number(tokenizerConfig['model_max_length']);
  // Tokenizers without a limit store a huge sentinel (1e30); BERT-style models read at most 512.
  const maxTokens = Number.isInteger(limit) && limit > 0 && limit <= 100_000 ? limit : DEFAULT_MAX_TOKENS;
  const manifest = optionalJson(join(dir, 'manifest.json'));
  const fetched = optionalJson(join(dir, FETCHED_MARKER));
  const version =
    typeof manifest?.['version'] === 'string'
      ? manifest['version']
      : typeof fetched?.['repo'] === 'string' && typeof fetched['revision'] === 'string'
        ? `${fetched['repo']}@${fetched['revision'].slice(0, 12)}`
        : 'unversioned';
  const fetchedName = typeof fetched?.['name'] === 'string' ? fetched['name'] : undefined;
  return {
    dir,
    name: name ?? fetchedName ?? basename(dir),
    version,
    modelType,
    labels,
    id2label: id2label as Record<string, string>,
    maxTokens,
    onnxFile,
  };
}

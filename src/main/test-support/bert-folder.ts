/**
 * Writes small Hugging Face model folders of exactly BERT's shape for tests: `config.json`
 * (`model_type: "bert"`, `id2label`, `label2id`), a WordPiece `tokenizer.json` (BERT-uncased style:
 * BertNormalizer lowercase, BertPreTokenizer, `[CLS] $A [SEP]` / `[CLS] $A [SEP] $B [SEP]` template),
 * `tokenizer_config.json` and `onnx/model.onnx` with int64 `input_ids`, `attention_mask`,
 * `token_type_ids` ([batch, sequence]) and float32 `logits` ([batch, labels]).
 *
 * Two graphs, both tiny and exact:
 * - `sentiment`: logits = masked mean of per-token label scores. "profit", "beat", "record", "growth"…
 *   score positive, "loss", "lawsuit", "miss", "plunge"… negative, every token scores neutral 1, so a
 *   text without such words is neutral. Labels default to FinBERT's order (positive, negative, neutral),
 *   which differs from ours, so a loader that maps by position instead of by name fails the tests.
 * - `nli`: entailment/neutral/contradiction over a (premise, hypothesis) pair, whose entailment logit
 *   grows with the dot product of the premise's and the hypothesis's mean topic vectors (segments from
 *   `token_type_ids`), so "Apple sued in patent lawsuit" entails "This news is about a lawsuit or
 *   regulation." and not "This news is about earnings.".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ATTRIBUTE,
  DATA_TYPE,
  IR_VERSION,
  OPSET,
  encodeModel,
  type NodeJson,
  type TensorJson,
  valueInfo,
} from '../training/trm/onnx-proto';
import { buildTokenizerJson, SPECIAL_TOKENS } from '../training/sentiment/tokenizer';

/** FinBERT's (ProsusAI/finbert) label order. */
export const FINBERT_ID2LABEL = { 0: 'positive', 1: 'negative', 2: 'neutral' } as const;
/** The label order of MNLI-trained models such as the zero-shot ones. */
export const NLI_ID2LABEL = { 0: 'entailment', 1: 'neutral', 2: 'contradiction' } as const;

const MASK = '[MASK]';
const SPECIAL = [...SPECIAL_TOKENS, MASK];
const POSITIVE = ['profit', 'profits', 'beat', 'beats', 'record', 'growth', 'surge', 'surges', 'upgrade'];
const NEGATIVE = ['loss', 'losses', 'lawsuit', 'miss', 'misses', 'plunge', 'plunges', 'downgrade', 'fraud'];
const OTHER = [
  'the',
  'a',
  'an',
  'of',
  'in',
  'on',
  'for',
  'to',
  'and',
  'or',
  'is',
  'this',
  'news',
  'about',
  'company',
  'quarter',
  'earnings',
  'shares',
  'stock',
  'apple',
  'sued',
  'patent',
  'regulation',
  'court',
  'reports',
  'dividend',
  'dividends',
  'buyback',
  'buybacks',
  'guidance',
  'outlook',
  'analyst',
  'rating',
  'merger',
  'acquisition',
  'product',
  'management',
  'changes',
  'economy',
  'launch',
  'ceo',
];
/** Topic words of the NLI graph: each is one axis (dimension) of the topic vectors. */
const NLI_TOPICS: Record<string, number> = {
  earnings: 0,
  profit: 0,
  quarter: 0,
  beats: 0,
  misses: 0,
  lawsuit: 1,
  sued: 1,
  regulation: 1,
  court: 1,
  fraud: 1,
  dividend: 2,
  dividends: 2,
  buyback: 2,
  buybacks: 2,
  merger: 3,
  acquisition: 3,
};
const NLI_DIMS = 4;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PUNCTUATION = ['.', ',', '!', '?', '$', '%', "'", '-', ':', ';', '(', ')', '"', '&', '/'];

/** The fixture's WordPiece vocabulary, token → id ([PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4). */
export function fixtureVocab(): Map<string, number> {
  // One id per token: words such as "a" are also single letters.
  const tokens = new Set([
    ...SPECIAL,
    ...POSITIVE,
    ...NEGATIVE,
    ...OTHER,
    ...PUNCTUATION,
    ...LETTERS,
    ...[...LETTERS].map((c) => `##${c}`),
  ]);
  return new Map([...tokens].map((t, i) => [t, i]));
}

export interface BertFolderOptions {
  /** 'sentiment' (default) or 'nli' (zero-shot classification). */
  kind?: 'sentiment' | 'nli';
  /** Labels by output index; default FinBERT's order for sentiment, MNLI's for nli. */
  id2label?: Record<number, string>;
  /** Tokens per text (tokenizer_config.json's model_max_length); default 512 like BERT. */
  modelMaxLength?: number;
  /** A manifest.json with this version (as our own model folders carry); none by default, like FinBERT. */
  version?: string;
}

/** Writes the folder (created when missing) and returns `dir`. */
export function writeBertFolder(dir: string, options: BertFolderOptions = {}): string {
  const kind = options.kind ?? 'sentiment';
  const id2label: Record<number, string> =
    options.id2label ?? (kind === 'nli' ? NLI_ID2LABEL : FINBERT_ID2LABEL);
  const vocab = fixtureVocab();
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const config = {
    _name_or_path: kind === 'nli' ? 'fixture/tiny-nli' : 'fixture/tiny-finbert',
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    hidden_size: kind === 'nli' ? NLI_DIMS : 3,
    vocab_size: vocab.size,
    id2label: Object.fromEntries(Object.entries(id2label).map(([k, v]) => [String(k), v])),
    label2id: Object.fromEntries(Object.entries(id2label).map(([k, v]) => [v, Number(k)])),
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: options.modelMaxLength ?? 512,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    }),
  );
  const labels = Object.keys(id2label).length;
  const model = kind === 'nli' ? nliGraph(vocab, id2label) : sentimentGraph(vocab, id2label, labels);
  writeFileSync(join(dir, 'onnx', 'model.onnx'), model);
  if (options.version !== undefined)
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: options.version }));
  return dir;
}

/**
 * The training code's BERT-uncased tokenizer.json (buildTokenizerJson) for the fixture's vocabulary,
 * with [MASK] also declared a special token, as BERT's is (the vocabulary opens with our special
 * tokens in our order, so the ids are the fixture's).
 */
function tokenizerJson(vocab: Map<string, number>): unknown {
  const json = buildTokenizerJson([...vocab.keys()].slice(SPECIAL_TOKENS.length));
  const added = json['added_tokens'] as Record<string, unknown>[];
  return { ...json, added_tokens: [...added, { ...added[0], id: vocab.get(MASK), content: MASK }] };
}

function floats(name: string, dims: number[], values: ArrayLike<number>): TensorJson {
  const data = Float32Array.from(values);
  return { name, dims, data_type: DATA_TYPE.FLOAT, raw_data: new Uint8Array(data.buffer) };
}

function int64s(name: string, values: number[]): TensorJson {
  const data = BigInt64Array.from(values.map(BigInt));
  return { name, dims: [values.length], data_type: DATA_TYPE.INT64, raw_data: new Uint8Array(data.buffer) };
}

function node(op: string, input: string[], output: string, attrs: Record<string, number> = {}): NodeJson {
  return {
    input,
    output: [output],
    name: output,
    op_type: op,
    attribute: Object.entries(attrs).map(([name, i]) => ({ name, type: ATTRIBUTE.INT, i })),
  };
}

const INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'].map((n) =>
  valueInfo(n, DATA_TYPE.INT64, ['batch', 'sequence']),
);

/** Nodes computing the masked mean of `embedded` ([B,S,D]) over positions where `mask` ([B,S] float) is 1. */
function maskedMean(prefix: string, embedded: string, mask: string): NodeJson[] {
  return [
    node('Unsqueeze', [mask, 'axis2'], `${prefix}_mask3`),
    node('Mul', [embedded, `${prefix}_mask3`], `${prefix}_masked`),
    node('ReduceSum', [`${prefix}_masked`, 'axis1'], `${prefix}_sum`, { keepdims: 0 }),
    node('ReduceSum', [mask, 'axis1'], `${prefix}_count`, { keepdims: 1 }),
    node('Max', [`${prefix}_count`, 'one'], `${prefix}_safe`),
    node('Div', [`${prefix}_sum`, `${prefix}_safe`], `${prefix}_mean`),
  ];
}

function encode(nodes: NodeJson[], initializer: TensorJson[], labels: number): Uint8Array {
  return encodeModel({
    ir_version: IR_VERSION,
    producer_name: 'trm-test-fixture',
    producer_version: '1',
    doc_string: 'tiny BERT-shaped classifier for tests',
    opset_import: [{ domain: '', version: OPSET }],
    metadata_props: [],
    graph: {
      name: 'fixture',
      node: nodes,
      initializer: [...initializer, int64s('axis1', [1]), int64s('axis2', [2]), floats('one', [1], [1])],
      input: INPUTS,
      output: [valueInfo('logits', DATA_TYPE.FLOAT, ['batch', labels])],
    },
  });
}

function sentimentGraph(
  vocab: Map<string, number>,
  id2label: Record<number, string>,
  labels: number,
): Uint8Array {
  const column = (name: string) =>
    Number(Object.entries(id2label).find(([, label]) => label.toLowerCase() === name)?.[0] ?? -1);
  const table = new Float32Array(vocab.size * labels);
  for (const [tokenText, id] of vocab) {
    const neutral = column('neutral');
    if (neutral >= 0) table[id * labels + neutral] = 1;
    const positive = column('positive');
    const negative = column('negative');
    if (POSITIVE.includes(tokenText) && positive >= 0) table[id * labels + positive] = 8;
    if (NEGATIVE.includes(tokenText) && negative >= 0) table[id * labels + negative] = 8;
  }
  return encode(
    [
      node('Gather', ['embedding', 'input_ids'], 'embedded', { axis: 0 }),
      node('Cast', ['attention_mask'], 'maskf', { to: DATA_TYPE.FLOAT }),
      ...maskedMean('all', 'embedded', 'maskf'),
      node('Identity', ['all_mean'], 'logits'),
    ],
    [floats('embedding', [vocab.size, labels], table)],
    labels,
  );
}

function nliGraph(vocab: Map<string, number>, id2label: Record<number, string>): Uint8Array {
  const labels = Object.keys(id2label).length;
  const table = new Float32Array(vocab.size * NLI_DIMS);
  for (const [tokenText, axis] of Object.entries(NLI_TOPICS)) {
    const id = vocab.get(tokenText);
    if (id !== undefined) table[id * NLI_DIMS + axis] = 10;
  }
  // logits = s · w + b with s the premise/hypothesis topic agreement: entailment rises with s,
  // contradiction falls; at s = 0 contradiction wins (P(entailment) ≈ 0.12 in a two-way softmax).
  const w = new Float32Array(labels);
  const b = new Float32Array(labels);
  for (const [index, label] of Object.entries(id2label)) {
    const i = Number(index);
    if (label.toLowerCase() === 'entailment') [w[i], b[i]] = [2, -1];
    if (label.toLowerCase() === 'contradiction') [w[i], b[i]] = [-2, 1];
  }
  return encode(
    [
      node('Gather', ['embedding', 'input_ids'], 'embedded', { axis: 0 }),
      node('Cast', ['attention_mask'], 'maskf', { to: DATA_TYPE.FLOAT }),
      node('Cast', ['token_type_ids'], 'typef', { to: DATA_TYPE.FLOAT }),
      node('Mul', ['maskf', 'typef'], 'mask_b'),
      node('Sub', ['maskf', 'mask_b'], 'mask_a'),
      ...maskedMean('a', 'embedded', 'mask_a'),
      ...maskedMean('b', 'embedded', 'mask_b'),
      node('Mul', ['a_mean', 'b_mean'], 'product'),
      node('ReduceSum', ['product', 'axis1'], 'agreement', { keepdims: 1 }),
      node('MatMul', ['agreement', 'w'], 'scaled'),
      node('Add', ['scaled', 'b'], 'logits'),
    ],
    [
      floats('embedding', [vocab.size, NLI_DIMS], table),
      floats('w', [1, labels], w),
      floats('b', [labels], b),
    ],
    labels,
  );
}

/**
 * The sentiment model's tokenizer: a Hugging Face `tokenizer.json` (WordPiece over whole lower-cased words,
 * BertNormalizer, BertPreTokenizer, `[CLS] $A [SEP]`, [PAD] = 0, [UNK] = 1) built from the training
 * split's words, and `tokenizer_config.json`. Training tokenises THROUGH @huggingface/transformers'
 * PreTrainedTokenizer loaded from that JSON, the same code that tokenises at inference when the folder is
 * loaded with `AutoTokenizer`/`pipeline`, so both sides see identical ids (tokenizer.test.ts proves it).
 * Even the words counted for the vocabulary are split by the library's own normalizer and pre-tokenizer.
 */
import { PreTrainedTokenizer } from '@huggingface/transformers';

export const PAD = '[PAD]';
export const UNK = '[UNK]';
export const CLS = '[CLS]';
export const SEP = '[SEP]';
/** Special tokens, at ids 0..3 in this order. */
export const SPECIAL_TOKENS = [PAD, UNK, CLS, SEP] as const;
export const PAD_ID = 0;
export const UNK_ID = 1;

/** The JSON of a Hugging Face tokenizer (tokenizer.json), as written. */
export type TokenizerJson = Record<string, unknown> & {
  model: Record<string, unknown> & { vocab: Record<string, number> };
};

/** tokenizer_config.json as written. */
export interface TokenizerConfig {
  model_max_length: number;
  do_lower_case: true;
  tokenizer_class: 'BertTokenizer';
  cls_token: string;
  sep_token: string;
  pad_token: string;
  unk_token: string;
  padding_side: 'right';
  truncation_side: 'right';
  clean_up_tokenization_spaces: true;
}

/**
 * tokenizer.json for `words` (ids 4.. in the order given, after the special tokens). Words are whole
 * words as the normalizer and pre-tokenizer produce them; an unknown word becomes [UNK] (WordPiece finds
 * no pieces because the vocabulary holds no `##` continuations).
 * @throws Error when a word repeats or is a special token.
 */
export function buildTokenizerJson(words: readonly string[]): TokenizerJson {
  const vocab: Record<string, number> = {};
  SPECIAL_TOKENS.forEach((token, id) => (vocab[token] = id));
  for (const word of words) {
    if (Object.hasOwn(vocab, word)) throw new Error(`vocabulary word "${word}" repeats`);
    vocab[word] = Object.keys(vocab).length;
  }
  const special = (token: string, id: number): Record<string, unknown> => ({
    id,
    content: token,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const clsId = vocab[CLS]!;
  const sepId = vocab[SEP]!;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((token, id) => special(token, id)),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: CLS, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: SEP, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: CLS, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: SEP, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: SEP, type_id: 1 } },
      ],
      special_tokens: {
        [CLS]: { id: CLS, ids: [clsId], tokens: [CLS] },
        [SEP]: { id: SEP, ids: [sepId], tokens: [SEP] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: UNK,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** tokenizer_config.json: texts are cut to `maxLength` tokens ([CLS] and [SEP] included). */
export function buildTokenizerConfig(maxLength: number): TokenizerConfig {
  if (!Number.isInteger(maxLength) || maxLength < 3)
    throw new Error(`maxLength must be a whole number of at least 3 tokens, got ${maxLength}`);
  return {
    model_max_length: maxLength,
    do_lower_case: true,
    tokenizer_class: 'BertTokenizer',
    cls_token: CLS,
    sep_token: SEP,
    pad_token: PAD,
    unk_token: UNK,
    padding_side: 'right',
    truncation_side: 'right',
    clean_up_tokenization_spaces: true,
  };
}

/** The library's tokenizer for a tokenizer.json and config (what AutoTokenizer builds from the files). */
export function loadTokenizer(json: TokenizerJson, config: TokenizerConfig): PreTrainedTokenizer {
  return new PreTrainedTokenizer(json, config);
}

interface LibraryInternals {
  _tokenizer: {
    normalizer: { normalize(text: string): string } | null;
    pre_tokenizer: { pre_tokenize_text(text: string): string[] } | null;
  };
}

/**
 * The words of each text as the tokenizer's normalizer and pre-tokenizer split them (lower case,
 * punctuation apart), from the library itself: what the vocabulary is counted on.
 */
export function splitWords(texts: readonly string[]): string[][] {
  const internals = (
    loadTokenizer(buildTokenizerJson([]), buildTokenizerConfig(64)) as unknown as LibraryInternals
  )._tokenizer;
  const { normalizer, pre_tokenizer: preTokenizer } = internals;
  if (normalizer === null || preTokenizer === null)
    throw new Error('the tokenizer library lost its normalizer or pre-tokenizer');
  return texts.map((text) => preTokenizer.pre_tokenize_text(normalizer.normalize(text)));
}

export interface VocabularyOptions {
  /** A word needs at least this many occurrences in the texts (default 2). */
  minCount?: number;
  /** Most words kept, the most frequent first (default 8000). */
  maxWords?: number;
}

/**
 * The vocabulary of `texts`: words with at least minCount occurrences, most frequent first (ties in
 * code-point order, so the result does not depend on the texts' order), at most maxWords.
 */
export function buildVocabulary(texts: readonly string[], options: VocabularyOptions = {}): string[] {
  const minCount = options.minCount ?? 2;
  const maxWords = options.maxWords ?? 8000;
  const counts = new Map<string, number>();
  for (const words of splitWords(texts)) {
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const special = new Set<string>(SPECIAL_TOKENS);
  return [...counts]
    .filter(([word, count]) => count >= minCount && !special.has(word) && !word.startsWith('##'))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxWords)
    .map(([word]) => word);
}

/** Token ids of each text, unpadded ([CLS] … [SEP], cut to the tokenizer's model_max_length). */
export function encodeTexts(tokenizer: PreTrainedTokenizer, texts: readonly string[]): number[][] {
  const out: number[][] = [];
  // Batches keep the library's intermediate arrays small.
  for (let i = 0; i < texts.length; i += 512) {
    const chunk = texts.slice(i, i + 512);
    const encoded = tokenizer(chunk, { truncation: true, return_tensor: false }) as unknown as {
      input_ids: number[][];
    };
    out.push(...encoded.input_ids);
  }
  return out;
}

/** Token counts ([CLS] and [SEP] included, before truncation) at the given quantiles, e.g. [0.5, 0.99]. */
export function tokenLengthQuantiles(texts: readonly string[], quantiles: readonly number[]): number[] {
  const lengths = splitWords(texts)
    .map((words) => words.length + 2)
    .sort((a, b) => a - b);
  return quantiles.map((q) => lengths[Math.min(lengths.length - 1, Math.floor(q * lengths.length))] ?? 0);
}

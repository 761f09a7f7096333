/**
 * Writes the sentiment model (model.ts) as an ONNX graph (opset 17, standard ops only) with the inputs
 * and output of a Hugging Face BertForSequenceClassification export, so @huggingface/transformers loads
 * it like FinBERT: int64 `input_ids`, `attention_mask`, `token_type_ids` [batch, sequence] (dynamic
 * axes; token_type_ids is accepted and unused) and float32 `logits` [batch, 3]. The hashed bigrams are
 * computed in the graph from input_ids ((a·M + b) mod buckets in int64), as model.ts does in training.
 */
import {
  ATTRIBUTE,
  DATA_TYPE,
  encodeModel,
  IR_VERSION,
  OPSET,
  type NodeJson,
  type TensorJson,
  valueInfo,
} from '../trm/onnx-proto';
import {
  BIGRAM_MULTIPLIER,
  CLASSES,
  CONV_WIDTH,
  MASKED_SCORE,
  weightShapes,
  WEIGHT_NAMES,
  type SentimentModelShape,
  type SentimentWeights,
} from './model';

export const SENTIMENT_IO = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  tokenTypeIds: 'token_type_ids',
  logits: 'logits',
} as const;

class Graph {
  readonly nodes: NodeJson[] = [];
  readonly initializers: TensorJson[] = [];
  private count = 0;

  node(opType: string, input: string[], attribute: NodeJson['attribute'] = [], output?: string): string {
    const name = output ?? `${opType}_${this.count++}`;
    this.nodes.push({
      input,
      output: [name],
      name,
      op_type: opType,
      ...(attribute.length ? { attribute } : {}),
    });
    return name;
  }

  floats(name: string, dims: number[], values: Float32Array): string {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, k) => view.setFloat32(k * 4, v, true));
    this.initializers.push({ name, dims, data_type: DATA_TYPE.FLOAT, raw_data: bytes });
    return name;
  }

  int64s(name: string, values: number[], dims: number[] = [values.length]): string {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, k) => view.setBigInt64(k * 8, BigInt(v), true));
    this.initializers.push({ name, dims, data_type: DATA_TYPE.INT64, raw_data: bytes });
    return name;
  }

  /**
   * Attention pooling over axis 1 of table rows at `ids` [B, T]: softmax over positions of (row · query
   * [width, 1]) with MASKED_SCORE added where the float mask [B, T] is 0; [B, width].
   */
  attentionPool(table: string, query: string, ids: string, mask: string, c: Constants): string {
    const rows = this.node('Gather', [table, ids], [{ name: 'axis', type: ATTRIBUTE.INT, i: 0 }]);
    const penalty = this.node('Mul', [this.node('Sub', [mask, c.one]), c.maskedScore]);
    const scores = this.node('Add', [
      this.node('MatMul', [rows, query]),
      this.node('Unsqueeze', [penalty, c.axis2]),
    ]);
    const weights = this.node('Softmax', [scores], [{ name: 'axis', type: ATTRIBUTE.INT, i: 1 }]);
    return this.node(
      'ReduceSum',
      [this.node('Mul', [rows, weights]), c.axis1],
      [{ name: 'keepdims', type: ATTRIBUTE.INT, i: 0 }],
    );
  }
}

interface Constants {
  one: string;
  epsilon: string;
  maskedScore: string;
  axis1: string;
  axis2: string;
}

/**
 * The ONNX bytes of a trained sentiment model.
 * @throws Error when a weight's length does not fit the shape.
 */
export function exportSentimentOnnx(weights: SentimentWeights, shape: SentimentModelShape): Uint8Array {
  const shapes = weightShapes(shape);
  for (const name of WEIGHT_NAMES) {
    const expected = shapes[name].reduce((a, b) => a * b, 1);
    if (weights[name].length !== expected)
      throw new Error(`weight ${name} has ${weights[name].length} values, its shape needs ${expected}`);
  }
  const g = new Graph();
  for (const name of WEIGHT_NAMES) {
    if (weights[name].length === 0) continue;
    // The queries as [width, 1] columns, so the scores are one MatMul.
    const dims = name === 'query' || name === 'bigramQuery' ? [shapes[name][0], 1] : [...shapes[name]];
    g.floats(name, dims, weights[name]);
  }
  const c: Constants = {
    one: g.floats('one', [], Float32Array.of(1)),
    epsilon: g.floats('epsilon', [], Float32Array.of(1e-6)),
    maskedScore: g.floats('masked_score', [], Float32Array.of(-MASKED_SCORE)),
    axis1: g.int64s('axis_1', [1]),
    axis2: g.int64s('axis_2', [2]),
  };
  const maskF = g.node(
    'Cast',
    [SENTIMENT_IO.attentionMask],
    [{ name: 'to', type: ATTRIBUTE.INT, i: DATA_TYPE.FLOAT }],
  );
  let pooled = g.attentionPool('embedding', 'query', SENTIMENT_IO.inputIds, maskF, c);
  const keep0 = [{ name: 'keepdims', type: ATTRIBUTE.INT, i: 0 }];
  /** The wide path's masked sum of table rows at ids: [B, 3]. */
  const wideSum = (table: string, ids: string, mask: string): string =>
    g.node(
      'ReduceSum',
      [g.node('Mul', [g.node('Gather', [table, ids]), g.node('Unsqueeze', [mask, c.axis2])]), c.axis1],
      keep0,
    );
  let wide = shape.wide ? wideSum('wideWord', SENTIMENT_IO.inputIds, maskF) : null;
  let wideCount = shape.wide ? wideSum('wideWordScale', SENTIMENT_IO.inputIds, maskF) : null;
  if (shape.bigramBuckets > 0) {
    const start0 = g.int64s('start_0', [0]);
    const start1 = g.int64s('start_1', [1]);
    const endLast = g.int64s('end_last', [-1]);
    const endAll = g.int64s('end_all', [2 ** 31 - 1]);
    const left = (x: string): string => g.node('Slice', [x, start0, endLast, c.axis1]);
    const right = (x: string): string => g.node('Slice', [x, start1, endAll, c.axis1]);
    const multiplier = g.int64s('bigram_multiplier', [BIGRAM_MULTIPLIER], []);
    const buckets = g.int64s('bigram_buckets', [shape.bigramBuckets], []);
    const ids = SENTIMENT_IO.inputIds;
    const pairs = g.node('Add', [g.node('Mul', [left(ids), multiplier]), right(ids)]);
    const hashed = g.node('Mod', [pairs, buckets], [{ name: 'fmod', type: ATTRIBUTE.INT, i: 0 }]);
    const pairMask = g.node('Mul', [left(maskF), right(maskF)]);
    const bigram = g.attentionPool('bigram', 'bigramQuery', hashed, pairMask, c);
    pooled = g.node('Concat', [pooled, bigram], [{ name: 'axis', type: ATTRIBUTE.INT, i: 1 }]);
    if (wide !== null && wideCount !== null) {
      wide = g.node('Add', [wide, wideSum('wideBigram', hashed, pairMask)]);
      wideCount = g.node('Add', [wideCount, wideSum('wideBigramScale', hashed, pairMask)]);
    }
  }
  if (shape.convFilters > 0) {
    // As model.ts convolve: pad CONV_WIDTH − 1 zero rows at the end of axis 1, windows by slicing,
    // one MatMul, ReLU, zero where the window's last word is padding, max over windows.
    const pads = g.int64s('conv_pads', [0, 0, 0, 0, CONV_WIDTH - 1, 0]);
    const maskPads = g.int64s('conv_mask_pads', [0, 0, 0, CONV_WIDTH - 1]);
    const rows = g.node(
      'Gather',
      ['embedding', SENTIMENT_IO.inputIds],
      [{ name: 'axis', type: ATTRIBUTE.INT, i: 0 }],
    );
    const padded = g.node('Pad', [rows, pads]);
    const slice = (x: string, k: number): string =>
      g.node('Slice', [
        x,
        g.int64s(`conv_start_${x}_${k}`, [k]),
        g.int64s(`conv_end_${x}_${k}`, [k - (CONV_WIDTH - 1) === 0 ? 2 ** 31 - 1 : k - (CONV_WIDTH - 1)]),
        c.axis1,
      ]);
    const windows = g.node(
      'Concat',
      Array.from({ length: CONV_WIDTH }, (_, k) => slice(padded, k)),
      [{ name: 'axis', type: ATTRIBUTE.INT, i: 2 }],
    );
    const features = g.node('Relu', [g.node('Add', [g.node('MatMul', [windows, 'convW']), 'convB'])]);
    const valid = slice(g.node('Pad', [maskF, maskPads]), CONV_WIDTH - 1);
    const masked = g.node('Mul', [features, g.node('Unsqueeze', [valid, c.axis2])]);
    const conv = g.node(
      'ReduceMax',
      [masked],
      [
        { name: 'axes', type: ATTRIBUTE.INTS, ints: [1] },
        { name: 'keepdims', type: ATTRIBUTE.INT, i: 0 },
      ],
    );
    pooled = g.node('Concat', [pooled, conv], [{ name: 'axis', type: ATTRIBUTE.INT, i: 1 }]);
  }
  const hidden = g.node('Relu', [g.node('Add', [g.node('MatMul', [pooled, 'w1']), 'b1'])]);
  if (wide !== null && wideCount !== null) {
    const deep = g.node('Add', [g.node('MatMul', [hidden, 'w2']), 'b2']);
    const scaled = g.node('Div', [wide, g.node('Sqrt', [g.node('Max', [wideCount, c.epsilon])])]);
    g.node('Add', [deep, scaled], [], SENTIMENT_IO.logits);
  } else {
    g.node('Add', [g.node('MatMul', [hidden, 'w2']), 'b2'], [], SENTIMENT_IO.logits);
  }

  const dims = ['batch', 'sequence'];
  return encodeModel({
    ir_version: IR_VERSION,
    producer_name: 'trm-workstation',
    producer_version: '1',
    doc_string: `sentiment model: word attention pool (${shape.vocabSize}×${shape.dim}) + hashed bigram attention pool (${shape.bigramBuckets}×${shape.bigramDim}) → ReLU ${shape.hidden} → 3 logits (negative, neutral, positive)${shape.wide ? ' + wide linear n-gram path' : ''}`,
    opset_import: [{ domain: '', version: OPSET }],
    metadata_props: [],
    graph: {
      name: 'sentiment',
      node: g.nodes,
      initializer: g.initializers,
      input: [
        valueInfo(SENTIMENT_IO.inputIds, DATA_TYPE.INT64, dims),
        valueInfo(SENTIMENT_IO.attentionMask, DATA_TYPE.INT64, dims),
        valueInfo(SENTIMENT_IO.tokenTypeIds, DATA_TYPE.INT64, dims),
      ],
      output: [valueInfo(SENTIMENT_IO.logits, DATA_TYPE.FLOAT, ['batch', CLASSES])],
    },
  });
}

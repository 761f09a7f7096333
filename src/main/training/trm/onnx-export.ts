/**
 * Writes a trained TRM as an ONNX graph (opset 17) of the static inference pass (trm.md §3.7): input
 * `features` float32 [B, F] with a dynamic batch; N_inf·T full recursions unrolled, every call reading
 * the same weight initializers (the file grows with the node count only); the heads after every full
 * recursion. No Loop/If and no data-dependent control flow: an early-exit policy is the application's.
 *
 * The graph is recorded from the same forward code as the tfjs model (recursion.ts), so the two compute
 * the same operations in the same order.
 */
import { CLASSES, LAYERS, RMS_EPS, type TrmConfig } from './config';
import {
  ATTRIBUTE,
  DATA_TYPE,
  encodeModel,
  IR_VERSION,
  OPSET,
  type AttributeJson,
  type NodeJson,
  type TensorJson,
  valueInfo,
} from './onnx-proto';
import { embedInput, fullRecursion, heads, type TensorOps, type TrmParams } from './recursion';
import { BUFFERS, checkWeights, TRAINABLE_WEIGHTS, weightShapes, type TrmWeights } from './weights';

/** The graph's input and output names (manifest.json `io`). */
export const TRM_IO = {
  input: 'features',
  probabilities: 'probabilities',
  halt: 'halt',
  cycleProbabilities: 'cycle_probabilities',
  cycleHalt: 'cycle_halt',
} as const;

/** Name of the dynamic batch axis. */
const BATCH = 'batch';

/** Records TensorOps calls as ONNX nodes; tensors are value names. */
class GraphRecorder implements TensorOps<string> {
  readonly nodes: NodeJson[] = [];
  readonly initializers: TensorJson[] = [];
  private count = 0;

  node(opType: string, input: string[], attribute?: AttributeJson[], output?: string): string {
    const name = output ?? `${opType}_${this.count++}`;
    this.nodes.push({ input, output: [name], name, op_type: opType, ...(attribute ? { attribute } : {}) });
    return name;
  }

  floatInitializer(name: string, dims: number[], values: Float32Array): string {
    this.initializers.push({ name, dims, data_type: DATA_TYPE.FLOAT, raw_data: littleEndianFloats(values) });
    return name;
  }

  int64Initializer(name: string, values: number[]): string {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, k) => view.setBigInt64(k * 8, BigInt(v), true));
    this.initializers.push({ name, dims: [values.length], data_type: DATA_TYPE.INT64, raw_data: bytes });
    return name;
  }

  matMul = (a: string, b: string): string => this.node('MatMul', [a, b]);
  add = (a: string, b: string): string => this.node('Add', [a, b]);
  mul = (a: string, b: string): string => this.node('Mul', [a, b]);
  div = (a: string, b: string): string => this.node('Div', [a, b]);
  sigmoid = (a: string): string => this.node('Sigmoid', [a]);
  sqrt = (a: string): string => this.node('Sqrt', [a]);
  meanLastAxis = (a: string): string =>
    this.node(
      'ReduceMean',
      [a],
      [
        { name: 'axes', type: ATTRIBUTE.INTS, ints: [-1] },
        { name: 'keepdims', type: ATTRIBUTE.INT, i: 1 },
      ],
    );
}

function littleEndianFloats(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, k) => view.setFloat32(k * 4, v, true));
  return bytes;
}

/** What the exporter needs of a trained model. */
export interface ExportableTrm {
  config: Pick<TrmConfig, 'width' | 'hidden' | 'cycles' | 'latentSteps' | 'inferSteps'>;
  features: readonly string[];
  /** The weights to export: the EMA weights (TrainedTrm.weights). */
  weights: TrmWeights;
}

/**
 * The ONNX bytes of `trained` unrolled for `steps` supervision steps (default N_inf). Outputs:
 * `probabilities` [B, 8] (softmax of the last step's logits), `halt` [B] (sigmoid of its halting
 * logit), `cycle_probabilities` [B, steps·T, 8] and `cycle_halt` [B, steps·T] (after every full
 * recursion). Throws when the weights do not fit the configuration or `steps` is not a positive integer.
 */
export function exportTrmOnnx(trained: ExportableTrm, options: { steps?: number } = {}): Uint8Array {
  const steps = options.steps ?? trained.config.inferSteps;
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`steps must be a positive integer, got ${steps}`);
  const shape = {
    features: trained.features.length,
    width: trained.config.width,
    hidden: trained.config.hidden,
  };
  checkWeights(trained.weights, shape);
  if (LAYERS !== 2) throw new Error('the exporter maps two trunk layers');

  const g = new GraphRecorder();
  const shapes = weightShapes(shape);
  for (const name of [...TRAINABLE_WEIGHTS, ...BUFFERS]) {
    g.floatInitializer(name, [...shapes[name]], trained.weights[name]);
  }
  const p: TrmParams<string> = {
    input: 'input',
    layers: [
      { gate: 'gate0', up: 'up0', down: 'down0' },
      { gate: 'gate1', up: 'up1', down: 'down1' },
    ],
    output: 'output',
    haltWeight: 'haltWeight',
    haltBias: 'haltBias',
    y0: 'y0',
    z0: 'z0',
    eps: g.floatInitializer('eps', [], Float32Array.of(RMS_EPS)),
  };
  const axis1 = g.int64Initializer('axis1', [1]);
  const flat = g.int64Initializer('flat', [-1]);

  const cycles = steps * trained.config.cycles;
  const xe = embedInput(g, p, TRM_IO.input);
  let state = { y: p.y0, z: p.z0 };
  const probabilities: string[] = [];
  const halts: string[] = [];
  for (let c = 0; c < cycles; c++) {
    const last = c === cycles - 1;
    state = fullRecursion(g, p, xe, state, trained.config.latentSteps);
    const out = heads(g, p, state.y);
    const probs = g.node(
      'Softmax',
      [out.logits],
      [{ name: 'axis', type: ATTRIBUTE.INT, i: -1 }],
      last ? TRM_IO.probabilities : undefined,
    );
    probabilities.push(g.node('Unsqueeze', [probs, axis1]));
    const halt = g.sigmoid(out.halt);
    halts.push(halt);
    if (last) g.node('Reshape', [halt, flat], undefined, TRM_IO.halt);
  }
  g.node('Concat', probabilities, [{ name: 'axis', type: ATTRIBUTE.INT, i: 1 }], TRM_IO.cycleProbabilities);
  g.node('Concat', halts, [{ name: 'axis', type: ATTRIBUTE.INT, i: 1 }], TRM_IO.cycleHalt);

  const { width, hidden, cycles: t, latentSteps: n } = trained.config;
  return encodeModel({
    ir_version: IR_VERSION,
    producer_name: 'trm-workstation',
    producer_version: '1',
    doc_string: `TRM strategy model: D=${width}, I=${hidden}, T=${t}, n=${n}, steps=${steps}`,
    opset_import: [{ domain: '', version: OPSET }],
    metadata_props: [],
    graph: {
      name: 'trm',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(TRM_IO.input, DATA_TYPE.FLOAT, [BATCH, shape.features])],
      output: [
        valueInfo(TRM_IO.probabilities, DATA_TYPE.FLOAT, [BATCH, CLASSES]),
        valueInfo(TRM_IO.halt, DATA_TYPE.FLOAT, [BATCH]),
        valueInfo(TRM_IO.cycleProbabilities, DATA_TYPE.FLOAT, [BATCH, cycles, CLASSES]),
        valueInfo(TRM_IO.cycleHalt, DATA_TYPE.FLOAT, [BATCH, cycles]),
      ],
    },
  });
}

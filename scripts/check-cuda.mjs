#!/usr/bin/env node
// Checks ONNX Runtime's CUDA provider on this machine and, when it works, runs the TRM strategy model on
// a random batch under CUDA and under CPU: prints the providers, the timings and the largest difference
// between the two. Plain node, from the repository root:
//
//   node scripts/check-cuda.mjs [model-folder] [--batch N] [--runs N]
//
// model-folder defaults to models/trm-default. Exit 0 when CUDA is not available (it says why: "CUDA not
// available: <reason>") or when the check passed; 1 when CUDA works but the model fails or CUDA and CPU
// disagree by more than 1e-3; 2 for a usage error or a missing model folder.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const protobuf = require('protobufjs');

function usage(message) {
  console.error(`${message}\nusage: node scripts/check-cuda.mjs [model-folder] [--batch N] [--runs N]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let folder = 'models/trm-default';
let batch = 256;
let runs = 50;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--batch' || arg === '--runs') {
    const value = Number(args[++i]);
    if (!Number.isInteger(value) || value < 1) usage(`${arg} needs a whole number of at least 1`);
    if (arg === '--batch') batch = value;
    else runs = value;
  } else if (arg === '--help' || arg === '-h')
    usage('Checks the ONNX Runtime CUDA provider with the TRM model.');
  else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
  else folder = arg;
}

console.log(`onnxruntime-node ${ort.env.versions?.node ?? '?'} on ${process.platform}-${process.arch}`);
console.log(
  `backends: ${ort
    .listSupportedBackends()
    .map((b) => `${b.name}${b.bundled ? '' : ' (not bundled)'}`)
    .join(', ')}`,
);

/** A one-node ONNX graph (Sigmoid of float32 [1, 4]) built here, so CUDA can be checked without a model. */
function probeModel() {
  const root = protobuf.parse(
    `
    syntax = "proto2"; package onnx;
    message ModelProto { optional int64 ir_version = 1; optional GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
    message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
    message GraphProto { repeated NodeProto node = 1; optional string name = 2; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
    message NodeProto { repeated string input = 1; repeated string output = 2; optional string op_type = 4; }
    message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
    message TypeProto { message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; } optional Tensor tensor_type = 1; }
    message TensorShapeProto { message Dimension { optional int64 dim_value = 1; } repeated Dimension dim = 1; }
  `,
    { keepCase: true },
  ).root;
  const Model = root.lookupType('onnx.ModelProto');
  const info = (name) => ({
    name,
    type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 1 }, { dim_value: 4 }] } } },
  });
  const model = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'probe',
      node: [{ input: ['x'], output: ['y'], op_type: 'Sigmoid' }],
      input: [info('x')],
      output: [info('y')],
    },
  };
  return Model.encode(Model.fromObject(model)).finish();
}

function firstLine(error) {
  return String(error instanceof Error ? error.message : error)
    .split('\n')[0]
    .trim();
}

// 1. Is the CUDA provider there at all? (Asking ONNX Runtime without its library prints native errors.)
const bindingDir = join(
  dirname(require.resolve('onnxruntime-node')),
  '..',
  'bin',
  'napi-v6',
  process.platform,
  process.arch,
);
const cudaLibrary =
  process.platform === 'linux'
    ? join(bindingDir, 'libonnxruntime_providers_cuda.so')
    : process.platform === 'win32'
      ? join(bindingDir, 'onnxruntime_providers_cuda.dll')
      : null;
if (cudaLibrary === null) {
  console.log(`CUDA not available: ONNX Runtime has no CUDA provider on ${process.platform}`);
  process.exit(0);
}
if (!existsSync(cudaLibrary)) {
  console.log(
    `CUDA not available: ${basename(cudaLibrary)} is not installed next to the ONNX Runtime binding ` +
      `(${bindingDir}); npm run postinstall fetches it where there is internet`,
  );
  process.exit(0);
}

// 2. Does a session on CUDA open and run?
try {
  const probe = await ort.InferenceSession.create(probeModel(), { executionProviders: ['cuda'] });
  const out = await probe.run({ x: new ort.Tensor('float32', Float32Array.of(0, 1, -1, 2), [1, 4]) });
  await probe.release();
  console.log(`CUDA provider: granted (a probe session opened and ran; sigmoid(0) = ${out.y.data[0]})`);
} catch (error) {
  console.log(`CUDA not available: ${firstLine(error)}`);
  process.exit(0);
}

// 3. The TRM model under CUDA and CPU.
const dir = resolve(folder);
const manifestFile = join(dir, 'manifest.json');
const modelFile = join(dir, 'model.onnx');
if (!existsSync(manifestFile) || !existsSync(modelFile)) {
  console.error(
    `no model at ${dir} (needs manifest.json and model.onnx): pass a model folder, or train one into models/trm-default`,
  );
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const features = manifest.features.length;
const io = manifest.io;
const outputs = [io.probabilities, io.halt, io.cycleProbabilities, io.cycleHalt];
const bytes = readFileSync(modelFile);
console.log(
  `model ${manifest.version}: ${features} features, D=${manifest.architecture.width}, ` +
    `${manifest.architecture.steps}x${manifest.architecture.cycles} recursions; batch ${batch}, ${runs} runs`,
);

// Uniform in ±3 from a fixed linear congruential sequence: the same batch every time.
let seed = 12345;
const x = Float32Array.from({ length: batch * features }, () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed / 2 ** 32) * 6 - 3;
});

async function measure(provider) {
  const started = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [provider] });
  const openMs = performance.now() - started;
  const feeds = { [io.input]: new ort.Tensor('float32', x, [batch, features]) };
  let result = await session.run(feeds, outputs);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = await session.run(feeds, outputs);
    times.push(performance.now() - start);
  }
  await session.release();
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)];
  console.log(
    `${provider.toUpperCase().padEnd(4)}: open ${openMs.toFixed(0)} ms; run p50 ${p50.toFixed(3)} ms, ` +
      `min ${times[0].toFixed(3)} ms (${Math.round((batch / p50) * 1000).toLocaleString('en-US')} rows/s)`,
  );
  return result;
}

let cuda;
try {
  cuda = await measure('cuda');
} catch (error) {
  console.error(`the model failed under CUDA: ${firstLine(error)}`);
  process.exit(1);
}
const cpu = await measure('cpu');
let worst = 0;
for (const name of outputs) {
  const a = cuda[name].data;
  const b = cpu[name].data;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  console.log(`max |CUDA - CPU| ${name}: ${max.toExponential(2)}`);
  worst = Math.max(worst, max);
}
if (worst > 1e-3) {
  console.error(
    `CUDA and CPU disagree by ${worst.toExponential(2)} (more than 1e-3). Recent GPUs multiply in TF32 by ` +
      'default; NVIDIA_TF32_OVERRIDE=0 node scripts/check-cuda.mjs compares at full float32.',
  );
  process.exit(1);
}
console.log('CUDA check passed');

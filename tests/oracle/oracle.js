#!/usr/bin/env node
// The test oracle: real TensorFlow Lite (the npm package's WebAssembly build) runs MODEL on raw
// little-endian input files and writes each output as raw bytes.
//   node oracle.js MODEL.tflite OUTDIR [--simd] [--iters N] INPUT0.bin [INPUT1.bin ...]
// Writes OUTDIR/output_<i>.bin; with --iters N also prints "median_ms <x>" after one warm-up.
'use strict';
const fs = require('fs');
const path = require('path');
const { narrowInt64Outputs, widenInt32 } = require('./int64.js');

const typed = {
  int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array,
  float32: Float32Array, bool: Uint8Array, int64: BigInt64Array,
};

// As a module: const {loadTflite} = require('./oracle.js'); const run = await loadTflite(model);
// run(inputs: Buffer[]) -> { outputs: Buffer[] of raw outputs, dtypes, median }.
// int64 outputs (which the web API cannot read) come from a copy of the model narrowed to int32
// and are widened back: see int64.js.
async function loadTflite(original, simd = false) {
  const { model, widen } = narrowInt64Outputs(original);
  const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm');
  const base = simd ? 'tflite_web_api_cc_simd' : 'tflite_web_api_cc';
  const factory = require(path.join(wasmDir, base + '.js'));
  const module = await factory({ wasmBinary: fs.readFileSync(path.join(wasmDir, base + '.wasm')),
    print: () => {}, printErr: () => {} });
  const ptr = module._malloc(model.length);
  module.HEAPU8.set(model, ptr);
  const made = module.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, model.length,
    { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
  if (!made.ok()) throw new Error('TFLite refused the model: ' + made.errorMessage());
  const runner = made.value();
  const list = (v) => { const a = []; for (let i = 0; i < v.size(); i++) a.push(v.get(i)); v.delete(); return a; };
  const ins = list(runner.GetInputs());
  const outs = list(runner.GetOutputs());
  if (outs.length !== widen.length) throw new Error(`TFLite lists ${outs.length} outputs, the model ${widen.length}`);
  outs.forEach((t, i) => {
    if (widen[i] && t.dataType !== 'int32') throw new Error(`output ${i}: narrowed to int32, TFLite says ${t.dataType}`);
  });
  const dtypes = outs.map((t, i) => (widen[i] ? 'int64' : t.dataType));
  const run = (inputs, iters = 0) => {
    if (ins.length !== inputs.length)
      throw new Error(`model has ${ins.length} inputs, ${inputs.length} given`);
    ins.forEach((t, i) => {
      const T = typed[t.dataType];
      if (!T) throw new Error(`input ${i}: dtype ${t.dataType} not handled`);
      const dst = t.data();
      const bytes = inputs[i];
      if (bytes.length !== dst.length * T.BYTES_PER_ELEMENT)
        throw new Error(`input ${i}: ${bytes.length} bytes given, ${dst.length * T.BYTES_PER_ELEMENT} expected`);
      new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(bytes);
    });
    if (!runner.Infer()) throw new Error('TFLite Invoke failed');
    const res = outs.map((t, i) => {
      const d = t.data();
      const b = Buffer.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
      return widen[i] ? widenInt32(b) : b;
    });
    let median = null;
    if (iters > 0) {
      const times = [];
      for (let k = 0; k < iters; k++) {
        const t0 = process.hrtime.bigint();
        runner.Infer();
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      median = times[Math.floor(times.length / 2)];
    }
    return { outputs: res, dtypes, median };
  };
  return run;
}
module.exports = { loadTflite };

if (require.main === module) {
const args = process.argv.slice(2);
let simd = false, iters = 0;
const pos = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--simd') simd = true;
  else if (args[i] === '--iters') iters = parseInt(args[++i], 10);
  else pos.push(args[i]);
}
if (pos.length < 2) {
  console.error('usage: oracle.js MODEL.tflite OUTDIR [--simd] [--iters N] INPUT.bin...');
  process.exit(2);
}
const [modelPath, outDir, ...inputs] = pos;
async function main() {
  const run = await loadTflite(fs.readFileSync(modelPath), simd);
  const r = run(inputs.map((f) => fs.readFileSync(f)), iters);
  fs.mkdirSync(outDir, { recursive: true });
  r.outputs.forEach((b, i) => fs.writeFileSync(path.join(outDir, `output_${i}.bin`), b));
  if (r.median !== null) console.log('median_ms ' + r.median.toFixed(4));
}
main().catch((e) => { console.error('oracle: ' + (e && e.message ? e.message : e)); process.exit(1); });
}

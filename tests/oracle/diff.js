#!/usr/bin/env node
// The differential test: runs MODEL through `modelc run` and through real TensorFlow Lite (the
// oracle) on the same inputs, and compares every output.
//   node diff.js [--modelc BIN] [--target T] [--rounding single|double] [--seeds 1,2,3] [--image BMP] MODEL...
// --target is passed to `modelc run` (its default when absent).
// Integer outputs must be identical. Float outputs must agree within
//   |ours - tflite| <= 1e-5 * (max |tflite| over the output) + 1e-6:
// the generated code sums products in the reference kernels' order, TFLite's optimized float
// kernels (ruy, XNNPACK) in blocked orders, so the two differ by float32 reassociation error,
// which grows with the output's magnitude and the reduction length, not by semantics.
// x86-64-avx2's float kernels keep the reference order but fuse each multiply-add (FMA, one
// rounding instead of two): no new source of error, and the same tolerance holds them.
// Prints one line per model and run; exits 1 if any output differs.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { loadTflite } = require('./oracle.js');

const args = process.argv.slice(2);
let modelc = path.join(__dirname, '../../build/modelc');
let rounding = 'single';
let target = null;
let seeds = [1, 2, 3];
const images = [];
const models = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--modelc') modelc = args[++i];
  else if (args[i] === '--rounding') rounding = args[++i];
  else if (args[i] === '--target') target = args[++i];
  else if (args[i] === '--seeds') seeds = args[++i].split(',').map(Number);
  else if (args[i] === '--image') images.push(args[++i]);
  else models.push(args[i]);
}

// A 24-bit BMP as RGB rows, top first.
function readBmp(file) {
  const b = fs.readFileSync(file);
  const off = b.readUInt32LE(10), w = b.readInt32LE(18), h0 = b.readInt32LE(22), bpp = b.readUInt16LE(28);
  if (bpp !== 24) throw new Error(`${file}: ${bpp}-bit BMP`);
  const h = Math.abs(h0), stride = Math.ceil((w * 3) / 4) * 4;
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const row = h0 > 0 ? h - 1 - y : y;
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) px[(y * w + x) * 3 + c] = b[off + row * stride + x * 3 + 2 - c];
  }
  return { w, h, px };
}

// The image resized (nearest) to the input's [1,H,W,C] shape, quantized with its parameters;
// floats in [0,1].
function imageInput(info, img) {
  const [, H, W, C] = info.dims;
  const n = H * W * C;
  const T = { int8: Int8Array, uint8: Uint8Array, float32: Float32Array, int16: Int16Array }[info.dtype];
  const out = new T(n);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++) {
        const sy = Math.floor((y * img.h) / H), sx = Math.floor((x * img.w) / W);
        const r = img.px[(sy * img.w + sx) * 3 + (C === 3 ? c : 0)] / 255;
        if (info.dtype === 'float32') out[(y * W + x) * C + c] = r;
        else {
          const [lo, hi] = { int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767] }[info.dtype];
          const q = Math.round(r / info.scale) + info.zero_point;
          out[(y * W + x) * C + c] = Math.min(hi, Math.max(lo, q));
        }
      }
  return Buffer.from(out.buffer);
}

function compare(ours, ref, dtype) {
  if (ours.length !== ref.length) return { ok: false, text: `${ours.length} bytes vs ${ref.length}` };
  if (dtype !== 'float32') {
    const size = { int8: 1, uint8: 1, bool: 1, int16: 2, int32: 4, int64: 8 }[dtype] || 1;
    let diff = 0;
    for (let i = 0; i < ours.length; i += size) if (ours.compare(ref, i, i + size, i, i + size) !== 0) diff++;
    const n = ours.length / size;
    return { ok: diff === 0, text: `${n - diff}/${n} identical` };
  }
  const a = new Float32Array(ours.buffer.slice(ours.byteOffset, ours.byteOffset + ours.length));
  const b = new Float32Array(ref.buffer.slice(ref.byteOffset, ref.byteOffset + ref.length));
  let maxRef = 0, maxErr = 0, exact = 0;
  for (let i = 0; i < b.length; i++) maxRef = Math.max(maxRef, Math.abs(b[i]));
  const tol = 1e-5 * maxRef + 1e-6;
  let ok = true;
  for (let i = 0; i < b.length; i++) {
    const e = Math.abs(a[i] - b[i]);
    if (!(e <= tol)) ok = false;
    if (a[i] === b[i]) exact++;
    maxErr = Math.max(maxErr, e);
  }
  return { ok, text: `${exact}/${b.length} identical, max |diff| ${maxErr.toExponential(2)} (tolerance ${tol.toExponential(2)})` };
}

async function main() {
  let failed = 0;
  for (const model of models) {
    const name = path.basename(model);
    let run;
    try {
      run = await loadTflite(fs.readFileSync(model));
    } catch (e) {
      console.log(`${name}: oracle: ${e.message}`);
      failed++;
      continue;
    }
    const cases = seeds.map((s) => ({ seed: s }));
    for (const img of images) cases.push({ image: img });
    // Build once (modelc run --keep), then run the built driver for every case.
    const first = fs.mkdtempSync(path.join(os.tmpdir(), 'modelc-diff-'));
    const b = spawnSync(modelc, ['run', model, '--rounding', rounding, ...(target ? ['--target', target] : []), '--output-dir', first, '--keep'], { encoding: 'utf8' });
    fs.rmSync(first, { recursive: true, force: true });
    const kept = /build kept in (\S+)/.exec(b.stderr || '');
    if (b.status !== 0 || !kept) {
      console.log(`${name}: modelc run failed: ${(b.stderr || '').replace(/modelc run: build kept in \S+/, '').trim()}`);
      if (kept) fs.rmSync(kept[1], { recursive: true, force: true });
      failed++;
      continue;
    }
    const build = kept[1];
    let info = null;
    for (const c of cases) {
      // A fresh interpreter per case: models with variable tensors (SVDF, LSTM state) must be
      // compared from their initial state, as the generated driver runs them.
      if (c !== cases[0]) run = await loadTflite(fs.readFileSync(model));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelc-diff-'));
      const argv = [dir, String(c.seed || 0), '0'];
      const label = c.image ? `image ${path.basename(c.image)}` : `seed ${c.seed}`;
      if (c.image) {
        if (!info) info = JSON.parse(spawnSync(modelc, ['inspect', model, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout).subgraphs[0].inputs[0];
        const shape = info.shape;
        if (shape.length !== 4 || (shape[3] !== 3 && shape[3] !== 1)) { fs.rmSync(dir, { recursive: true, force: true }); continue; }
        fs.writeFileSync(path.join(dir, 'image.bin'), imageInput({ dims: shape, dtype: info.dtype, scale: info.scale, zero_point: info.zero_point }, readBmp(c.image)));
        argv.push(path.join(dir, 'image.bin'));
      }
      const r = spawnSync(path.join(build, 'run'), argv, { encoding: 'utf8' });
      if (r.status !== 0) {
        console.log(`${name}: ${label}: the generated model failed: ${(r.stderr || '').trim()}`);
        failed++;
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const inputs = [];
      for (let i = 0; fs.existsSync(path.join(dir, `input_${i}.bin`)); i++) inputs.push(fs.readFileSync(path.join(dir, `input_${i}.bin`)));
      let ref;
      try {
        ref = run(inputs);
      } catch (e) {
        console.log(`${name}: ${label}: oracle: ${e.message}`);
        failed++;
        continue;
      }
      const parts = [];
      let ok = true;
      ref.outputs.forEach((b, i) => {
        const ours = fs.readFileSync(path.join(dir, `output_${i}.bin`));
        const c2 = compare(ours, b, ref.dtypes[i]);
        ok = ok && c2.ok;
        parts.push(`output ${i} ${ref.dtypes[i]}: ${c2.text}`);
      });
      console.log(`${name}: ${label}: ${ok ? 'ok' : 'DIFFERS'}: ${parts.join('; ')}`);
      if (!ok) failed++;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    fs.rmSync(build, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.error(e); process.exit(2); });

#!/usr/bin/env node
// The seanet goldens: per-layer int16 models whose outputs TFLite Micro (double rounding, its
// default build) computed from CSV inputs. Every case must reproduce its golden exactly.
//   node seanet.js [--modelc BIN] [--rounding double] SEANET_DIR [OP...]
// Prints one line per case; exits 1 if any differs.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const args = process.argv.slice(2);
let modelc = path.join(__dirname, '../../build/modelc');
let rounding = 'double';
const pos = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--modelc') modelc = args[++i];
  else if (args[i] === '--rounding') rounding = args[++i];
  else pos.push(args[i]);
}
const [root, ...only] = pos;
const arrays = { int8: Int8Array, int16: Int16Array, int32: Int32Array, uint8: Uint8Array, float32: Float32Array };
const readCsv = (f) => fs.readFileSync(f, 'utf8').split(/[,\s]+/).filter((s) => s.length).map(Number);

let failed = 0, passed = 0;
for (const op of fs.readdirSync(root).sort()) {
  if (only.length && !only.includes(op)) continue;
  const dir = path.join(root, op);
  for (const m of fs.readdirSync(dir).filter((f) => f.endsWith('.tflite')).sort()) {
    const stem = m.replace(/\.tflite$/, '');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelc-seanet-'));
    const argv = ['run', path.join(dir, m), '--rounding', rounding, '--output-dir', tmp];
    for (let i = 0; ; i++) {
      const f = fs.readdirSync(dir).find((x) => x.startsWith(`${stem}_input${i}_`));
      if (!f) break;
      const dtype = f.match(/_([a-z]+[0-9]+)\.csv$/)[1];
      const raw = path.join(tmp, `in${i}.bin`);
      fs.writeFileSync(raw, Buffer.from(new arrays[dtype](readCsv(path.join(dir, f))).buffer));
      argv.push('--input', raw);
    }
    const gf = fs.readdirSync(dir).find((x) => x.startsWith(`${stem}_golden_`));
    const gtype = gf.match(/_([a-z]+[0-9]+)\.csv$/)[1];
    const golden = readCsv(path.join(dir, gf));
    const r = spawnSync(modelc, argv, { encoding: 'utf8' });
    let line;
    if (r.status !== 0) {
      line = `${op}/${stem}: modelc run failed: ${(r.stderr || '').trim()}`;
      failed++;
    } else {
      const b = fs.readFileSync(path.join(tmp, 'output_0.bin'));
      const T = arrays[gtype];
      const ours = new T(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
      let same = 0;
      for (let i = 0; i < golden.length; i++) if (ours[i] === golden[i]) same++;
      const ok = ours.length === golden.length && same === golden.length;
      line = `${op}/${stem}: ${ok ? 'ok' : 'DIFFERS'}: ${same}/${golden.length} identical`;
      if (ok) passed++; else failed++;
    }
    console.log(line);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
console.log(`seanet: ${passed} identical, ${failed} not`);
process.exit(failed ? 1 : 0);

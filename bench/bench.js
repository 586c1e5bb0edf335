// bench/run's worker: see bench/run. Latency is the median of N invocations after one warm-up
// call, for each target at 1 and 2 threads (--threads, OpenMP); the oracle is timed (1 thread) in
// the same process run on the same input bytes.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { loadTflite } = require('../tests/oracle/oracle.js');

const root = path.join(__dirname, '..');
const modelc = process.env.MODELC_BIN || path.join(root, 'build/modelc');  // MODELC_BIN: another build
const shared = process.env.MODELC_SHARED || path.join(root, '../shared');
let iters = 50, filter = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--iters') iters = Number(argv[++i]);
  else if (argv[i] === '--models') filter = new RegExp(argv[++i]);
}
// Every target this CPU can execute; the others are listed as not run, by name.
const cpuFlags = (() => {
  try { return (/^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8')) || [, ''])[1].split(/\s+/); } catch (e) { return []; }
})();
const targets = ['generic', 'x86-64-avx2'];
const threadCounts = [1, 2];
const runnable = { generic: true, 'x86-64-avx2': cpuFlags.includes('avx2') && cpuFlags.includes('fma') };

function models() {
  const out = [];
  for (const d of ['mlperf_tiny', 'tflm', 'coral'])
    for (const f of fs.readdirSync(path.join(shared, 'models', d)).sort())
      if (f.endsWith('.tflite') && (!filter || filter.test(`${d}/${f}`))) out.push(`${d}/${f}`);
  return out;
}

function sizeOf(obj) {
  const r = spawnSync('size', ['-A', obj], { encoding: 'utf8' });
  let code = 0, data = 0;
  for (const line of r.stdout.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)/.exec(line);
    if (!m) continue;
    if (m[1] === '.text') code += Number(m[2]);
    else if (m[1].startsWith('.rodata') || m[1] === '.data') data += Number(m[2]);
  }
  return { code, data };
}

async function main() {
  const rows = [];
  for (const rel of models()) {
    const file = path.join(shared, 'models', rel);
    const info = JSON.parse(spawnSync(modelc, ['inspect', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout || '{}');
    const totals = info.subgraphs ? info.subgraphs[0].totals : {};
    const macs = totals.macs || 0;
    let oracleMs = null;
    const generic = {};  // generic's latency per thread count
    for (const target of targets) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelc-bench-'));
      const base = { model: rel, macs, target, threads: 1, ms: null, arena: totals.arena_bytes ?? null, peak: totals.peak_activation_bytes, flash: null, note: '' };
      if (!runnable[target]) {
        for (const threads of threadCounts) rows.push({ ...base, threads, note: `not run: this CPU cannot execute ${target}` });
        continue;
      }
      const c = spawnSync(modelc, ['compile', file, '-o', dir, '--name', 'm', '--target', target], { encoding: 'utf8' });
      if (c.status !== 0) {
        for (const threads of threadCounts) rows.push({ ...base, threads, note: (c.stderr || '').split('\n')[0].slice(0, 120) });
        continue;
      }
      spawnSync('cc', ['-std=c99', '-O2', '-c', path.join(dir, 'm.c'), '-o', path.join(dir, 'm.o')]);
      const sz = sizeOf(path.join(dir, 'm.o'));
      base.flash = sz.code + sz.data;
      for (const threads of threadCounts) {
        const row = { ...base, threads };
        const r = spawnSync(modelc, ['run', file, '--seed', '1', '--output-dir', dir, '--iters', String(iters), '--target', target, '--threads', String(threads)], { encoding: 'utf8' });
        const m = /median_ms ([0-9.]+)/.exec(r.stdout || '');
        if (m) row.ms = Number(m[1]);
        else row.note = (r.stderr || '').split('\n')[0].slice(0, 120);
        if (target === 'generic') generic[threads] = row.ms;
        row.vsGeneric = generic[threads] && row.ms ? generic[threads] / row.ms : null;
        if (oracleMs === null && row.ms !== null) {
          try {
            const run = await loadTflite(fs.readFileSync(file), true);
            const inputs = [];
            for (let i = 0; fs.existsSync(path.join(dir, `input_${i}.bin`)); i++) inputs.push(fs.readFileSync(path.join(dir, `input_${i}.bin`)));
            run(inputs);
            oracleMs = run(inputs, iters).median;
          } catch (e) {
            oracleMs = NaN;
          }
        }
        row.oracle = oracleMs;
        rows.push(row);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const f = (x, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? '' : Number(x).toFixed(d));
  const head = ['model', 'MMAC', 'target', 'threads', 'median ms', 'GMAC/s', 'speed-up vs generic (same threads)', 'arena bytes', 'peak live bytes', 'code+weights bytes', 'TFLite wasm SIMD+XNNPACK ms', 'speed-up vs that', 'note'];
  const lines = rows.map((r) => [r.model, f(r.macs / 1e6, 2), r.target, r.threads, f(r.ms, 4), r.ms ? f(r.macs / r.ms / 1e6, 2) : '', f(r.vsGeneric, 2), r.arena ?? '', r.peak ?? '', r.flash ?? '', f(r.oracle, 4), r.ms && r.oracle ? f(r.oracle / r.ms, 2) : '', r.note]);
  const cpu = (os.cpus()[0] || {}).model || 'unknown CPU';
  let md = `# modelc benchmark\n\n${new Date().toISOString()}, ${cpu}, ${os.cpus().length} cores; median of ${iters} runs at 1 and 2 threads (the oracle: 1 thread); \`bench/run\`.\n\n`;
  md += `| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n`;
  for (const l of lines) md += `| ${l.join(' | ')} |\n`;
  fs.writeFileSync(path.join(__dirname, 'results.md'), md);
  fs.writeFileSync(path.join(__dirname, 'results.csv'), [head.join(','), ...lines.map((l) => l.map((x) => `"${String(x).replace(/"/g, '""')}"`).join(','))].join('\n') + '\n');
  process.stdout.write(md);
}
main().catch((e) => { console.error(e); process.exit(1); });

// bench/run's worker: see bench/run. Each configuration (target x threads, and the fastest x86
// target with the fusion passes off where they change the model) is built once; then all of a model's
// configurations and the oracle (1 thread, same input bytes) are timed in turn, round after round,
// and each keeps the lowest of its per-round medians of N invocations: background load on a shared
// machine only ever adds time, and interleaving puts every configuration under the same load.
// A threaded row also gives its speed-up over 1 thread from its own build alternating 1 thread
// and its count invocation by invocation (rt/driver.c): the host's speed drifts between runs,
// so two separate runs' ratio can mislead.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { loadTflite } = require('../tests/oracle/oracle.js');

const root = path.join(__dirname, '..');
const modelc = process.env.MODELC_BIN || path.join(root, 'build/modelc');  // MODELC_BIN: another build
const shared = process.env.MODELC_SHARED || path.join(root, '../shared');
let iters = 50, rounds = 3, filter = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--iters') iters = Number(argv[++i]);
  else if (argv[i] === '--rounds') rounds = Math.max(1, Number(argv[++i]));
  else if (argv[i] === '--models') filter = new RegExp(argv[++i]);
}
// Every target this CPU can execute; the others are listed as not run, by name.
const cpuFlags = (() => {
  try { return (/^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8')) || [, ''])[1].split(/\s+/); } catch (e) { return []; }
})();
const targets = ['generic', 'x86-64-avx2', 'x86-64-avx512'];
const threadCounts = [1, 2];
const runnable = {
  generic: true,
  'x86-64-avx2': cpuFlags.includes('avx2') && cpuFlags.includes('fma'),
  'x86-64-avx512': ['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni'].every((f) => cpuFlags.includes(f)),
};
// The passes that fuse one operator into another: the A/B row runs the fastest target this CPU
// executes without them.
const fusionPasses = ['fold-pad', 'fold-activation', 'fuse-residual-add'];
const fusionTarget = runnable['x86-64-avx512'] ? 'x86-64-avx512' : 'x86-64-avx2';

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

const median = (r) => { const m = /median_ms ([0-9.]+)/.exec(r.stdout || ''); return m ? Number(m[1]) : null; };
// A threaded build's speed-up over 1 thread with invocations alternating in one process (rt/driver.c).
const pairSpeedup = (r) => { const m = /threads_speedup ([0-9.]+)/.exec(r.stdout || ''); return m ? Number(m[1]) : null; };
const middle = (v) => { const s = v.filter((x) => x !== null).sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : null; };

// Compiles and runs one configuration once (modelc run --keep); returns its row and the kept
// build, whose `run DIR SEED ITERS` the later rounds call directly.
function build(file, base, extra, dir) {
  const row = { ...base };
  const r = spawnSync(modelc, ['run', file, '--seed', '1', '--output-dir', dir, '--iters', String(iters), '--keep', ...extra], { encoding: 'utf8' });
  const kept = /build kept in (\S+)/.exec(r.stderr || '');
  row.ms = median(r);
  row.pairs = [pairSpeedup(r)];
  if (row.ms === null) row.note = (r.stderr || '').split('\n')[0].slice(0, 120);
  return { row, kept: kept ? kept[1] : null, dir };
}

// Fused against unfused latency from paired runs in one process (bench/pair.c), once with the
// fused build as A and once as B: with r1 = unfused/fused and r2 = fused/unfused, each times
// whatever the position in the program costs, sqrt(r2 / r1) cancels that. null if a step fails.
function pairedFusion(file, target, off, ms) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelc-pair-'));
  const n = Math.max(20, Math.min(3000, Math.round(1500 / Math.max(ms, 1e-3))));  // about 3 s
  const ratios = [];
  for (const order of [[[], off], [off, []]]) {
    const sub = path.join(dir, String(ratios.length));
    fs.mkdirSync(sub);
    const built = ['A', 'B'].every((name, i) => spawnSync(modelc, ['compile', file, '-o', sub, '--name', name, '--target', target, ...order[i]]).status === 0);
    const exe = path.join(sub, 'pair');
    if (!built || spawnSync('cc', ['-std=c99', '-O2', `-I${sub}`, '-o', exe, path.join(__dirname, 'pair.c'), path.join(sub, 'A.c'), path.join(sub, 'B.c'), '-lm']).status !== 0) break;
    const m = /pair_ratio ([0-9.]+)/.exec(spawnSync(exe, [String(n)], { encoding: 'utf8' }).stdout || '');
    if (!m) break;
    ratios.push(Number(m[1]));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return ratios.length === 2 ? Math.sqrt(ratios[1] / ratios[0]) : null;
}

// What the fusion passes changed, from `modelc compile`'s "passes:" line, or '' when nothing.
function fusionSummary(compileOutput) {
  const m = /^passes: (.*)$/m.exec(compileOutput || '');
  return m && fusionPasses.some((p) => m[1].includes(p)) ? m[1] : '';
}

async function main() {
  const rows = [];
  for (const rel of models()) {
    const file = path.join(shared, 'models', rel);
    const info = JSON.parse(spawnSync(modelc, ['inspect', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout || '{}');
    const totals = info.subgraphs ? info.subgraphs[0].totals : {};
    const macs = totals.macs || 0;
    const configs = [];  // { row, kept, dir } in table order
    for (const target of targets) {
      const base = { model: rel, macs, target, threads: 1, ms: null, arena: totals.arena_bytes ?? null, peak: totals.peak_activation_bytes, flash: null, note: '' };
      if (!runnable[target]) {
        for (const threads of threadCounts) rows.push({ ...base, threads, note: `not run: this CPU cannot execute ${target}` });
        continue;
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelc-bench-'));
      const c = spawnSync(modelc, ['compile', file, '-o', dir, '--name', 'm', '--target', target], { encoding: 'utf8' });
      if (c.status !== 0) {
        for (const threads of threadCounts) rows.push({ ...base, threads, note: (c.stderr || '').split('\n')[0].slice(0, 120) });
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      spawnSync('cc', ['-std=c99', '-O2', '-c', path.join(dir, 'm.c'), '-o', path.join(dir, 'm.o')]);
      const sz = sizeOf(path.join(dir, 'm.o'));
      base.flash = sz.code + sz.data;
      for (const threads of threadCounts)
        configs.push(build(file, { ...base, threads }, ['--target', target, '--threads', String(threads)], dir));
      const fused = target === fusionTarget ? fusionSummary(c.stdout) : '';
      if (fused) {
        const off = fusionPasses.flatMap((p) => ['--disable-pass', p]);
        const u = spawnSync(modelc, ['compile', file, '-o', dir, '--name', 'u', '--target', target, ...off], { encoding: 'utf8' });
        const arena = /arena (\d+) bytes/.exec(u.stdout || '');
        const uc = build(file, { ...base, threads: 1, arena: arena ? Number(arena[1]) : null, note: `unfused (${fusionPasses.join(', ')} off); fused: ${fused}` },
                         ['--target', target, '--threads', '1', ...off], dir);
        uc.paired = { file, target, off };
        configs.push(uc);
      }
    }
    // The oracle on the inputs the first configuration wrote.
    let oracle = null;
    const first = configs.find((c) => c.row.ms !== null);
    if (first) {
      try {
        const run = await loadTflite(fs.readFileSync(file), true);
        const inputs = [];
        for (let i = 0; fs.existsSync(path.join(first.dir, `input_${i}.bin`)); i++) inputs.push(fs.readFileSync(path.join(first.dir, `input_${i}.bin`)));
        run(inputs);
        oracle = () => run(inputs, iters).median;
      } catch (e) {
        oracle = null;
      }
    }
    let oracleMs = oracle ? oracle() : NaN;
    for (let k = 1; k < rounds; k++) {
      for (const c of configs) {
        if (c.row.ms === null || !c.kept) continue;
        const r = spawnSync(path.join(c.kept, 'run'), [c.dir, '1', String(iters)], { encoding: 'utf8' });
        const ms = median(r);
        if (ms !== null && ms < c.row.ms) c.row.ms = ms;
        c.row.pairs.push(pairSpeedup(r));
      }
      if (oracle) oracleMs = Math.min(oracleMs, oracle());
    }
    const generic = {};  // generic's latency per thread count
    for (const c of configs) {
      const row = c.row;
      if (row.target === 'generic') generic[row.threads] = row.ms;
      row.vsGeneric = generic[row.threads] && row.ms ? generic[row.threads] / row.ms : null;
      row.vsOne = middle(row.pairs || []);
      if (row.note.startsWith('unfused')) {
        const f1 = configs.find((d) => d.row.target === row.target && d.row.threads === 1 && d !== c);
        if (f1 && f1.row.ms && row.ms) {
          const p = pairedFusion(c.paired.file, c.paired.target, c.paired.off, f1.row.ms);
          row.note += `; fused/unfused latency ${(f1.row.ms / row.ms).toFixed(3)} (separate runs), ${p ? p.toFixed(3) : '?'} (paired in one process, bench/pair.c), arena ${f1.row.arena} / ${row.arena}`;
        }
      }
      row.oracle = oracleMs;
      rows.push(row);
    }
    for (const c of configs) if (c.kept) fs.rmSync(c.kept, { recursive: true, force: true });
    for (const d of new Set(configs.map((c) => c.dir))) fs.rmSync(d, { recursive: true, force: true });
  }
  const f = (x, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? '' : Number(x).toFixed(d));
  const head = ['model', 'MMAC', 'target', 'threads', 'median ms', 'GMAC/s', 'speed-up vs generic (same threads)', 'speed-up vs 1 thread, alternating in one process (median of rounds)', 'arena bytes', 'peak live bytes', 'code+weights bytes', 'TFLite wasm SIMD+XNNPACK ms', 'speed-up vs that', 'note'];
  const lines = rows.map((r) => [r.model, f(r.macs / 1e6, 2), r.target, r.threads, f(r.ms, 4), r.ms ? f(r.macs / r.ms / 1e6, 2) : '', f(r.vsGeneric, 2), r.threads > 1 ? f(r.vsOne, 2) : '', r.arena ?? '', r.peak ?? '', r.flash ?? '', f(r.oracle, 4), r.ms && r.oracle ? f(r.oracle / r.ms, 2) : '', r.note]);
  const cpu = (os.cpus()[0] || {}).model || 'unknown CPU';
  let md = `# modelc benchmark\n\n${new Date().toISOString()}, ${cpu}, ${os.cpus().length} cores; lowest of ${rounds} interleaved rounds' medians of ${iters} runs, at 1 and 2 threads (the oracle: 1 thread); \`bench/run\`.\n\n`;
  md += `| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n`;
  for (const l of lines) md += `| ${l.join(' | ')} |\n`;
  fs.writeFileSync(path.join(__dirname, 'results.md'), md);
  fs.writeFileSync(path.join(__dirname, 'results.csv'), [head.join(','), ...lines.map((l) => l.map((x) => `"${String(x).replace(/"/g, '""')}"`).join(','))].join('\n') + '\n');
  process.stdout.write(md);
}
main().catch((e) => { console.error(e); process.exit(1); });

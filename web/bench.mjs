// Verify time in the browser (headless Chromium, the page's WebAssembly verifier) for every model
// scripts/web/make-proofs.sh wrote, in both modes, next to the native `zkinfer verify`; writes the
// block between <!-- bench:browser:begin --> and <!-- bench:browser:end --> of BENCHMARKS.md.
//   node web/bench.mjs   (ZKINFER_WEB_PROOFS: the proofs folder; ZKINFER_BIN: the zkinfer binary)
// scripts/web/bench.sh makes the proofs, builds everything and runs this.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile, stat } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { WEB, check, launch, open, proofs, serve } from './tests/harness.mjs';

const RUNS = 9;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Native `zkinfer verify --json`: the verifier's own time (verify_seconds) over RUNS runs. */
function native(key, proof, input) {
  const bin = process.env.ZKINFER_BIN;
  if (!bin) return null;
  const times = [];
  for (let i = 0; i < RUNS; i += 1) {
    const args = ['verify', key, proof, '--json', ...(input ? ['--input', input] : [])];
    const r = spawnSync(bin, args, { encoding: 'utf8' });
    const v = JSON.parse(r.stdout);
    if (!v.valid) throw new Error(`native verify of ${proof} failed: ${r.stdout}`);
    times.push(v.verify_seconds * 1e3);
  }
  return times;
}

const { dir, names } = await proofs();
const server = await serve();
const browser = await launch();
const { page } = await open(browser, server.url);
const rows = [];
for (const name of names) {
  for (const [mode, proofName, withInput] of [
    ['plain', 'proof.bin', true],
    ['zk', 'proof.bin', true],
    ['zk, private input', 'proof-private.bin', false],
  ]) {
    const d = join(dir, name, mode.startsWith('zk') ? 'zk' : 'plain');
    const keyPath = join(d, 'verifier.key');
    const proofPath = join(d, proofName);
    const inputPath = withInput ? join(dir, name, 'input.json') : null;
    const key = await readFile(keyPath);
    const proof = await readFile(proofPath);
    const input = inputPath ? await readFile(inputPath, 'utf8') : null;
    // One warm-up (the module's first call), then RUNS timed ones.
    const first = await check(page, key, proof, input);
    if (!first.valid) throw new Error(`${name} ${mode}: ${JSON.stringify(first.error)}`);
    const times = [];
    for (let i = 0; i < RUNS; i += 1) times.push((await check(page, key, proof, input)).verify_ms);
    const nat = native(keyPath, proofPath, inputPath);
    rows.push({
      name,
      mode,
      browser_ms: median(times),
      browser_min: Math.min(...times),
      native_ms: nat && median(nat),
      native_min: nat && Math.min(...nat),
      proof_kib: proof.length / 1024,
      key_kib: key.length / 1024,
      bits: first.soundness_bits,
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
}
const chromium = await browser.version();
await browser.close();
await server.close();

const wasm = (await stat(join(WEB, 'pkg', 'zkinfer_wasm_bg.wasm'))).size;
const gz = execFileSync('gzip', ['-9', '-c', join(WEB, 'pkg', 'zkinfer_wasm_bg.wasm')]).length;
const root = resolve(WEB, '..');
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
// Uncommitted changes other than the block this script writes.
const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!BENCHMARKS.md'], { cwd: root, encoding: 'utf8' }).trim();
const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
const f1 = (x) => (x === null ? 'n/a' : x.toFixed(1));
const ratio = (r) => (r.native_ms ? `${(r.browser_ms / r.native_ms).toFixed(1)}x` : 'n/a');
const block = [
  `- Date: ${date} UTC`,
  `- Commit: \`${commit}\`${dirty ? ' (with uncommitted changes)' : ''}`,
  `- Machine: ${cpus().length} cores, ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB; load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  `- Browser: headless Chromium ${chromium} (Debian), one page; the module: ${wasm.toLocaleString('en')} bytes of WebAssembly (${gz.toLocaleString('en')} gzipped), release build, wasm-bindgen --target web`,
  `- browser ms: \`verify_ms\` of the page's verifier (decoding both files, parsing the input, verifying), median (and fastest) of ${RUNS} after one warm-up; native ms: \`zkinfer verify --json\`'s \`verify_seconds\` (the same steps after reading the files; dev profile, rayon), median (and fastest) of ${RUNS}; the ratio is of the medians.`,
  '',
  '| model | mode | browser verify ms | (fastest) | native verify ms | (fastest) | browser / native | proof KiB | key KiB | soundness bits |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.mode} | ${f1(r.browser_ms)} | ${f1(r.browser_min)} | ${f1(r.native_ms)} | ${f1(r.native_min)} | ${ratio(r)} | ${r.proof_kib.toFixed(0)} | ${r.key_kib.toFixed(1)} | ${r.bits.toFixed(1)} |`),
].join('\n');

const path = join(root, 'BENCHMARKS.md');
const md = await readFile(path, 'utf8');
const begin = '<!-- bench:browser:begin -->';
const end = '<!-- bench:browser:end -->';
const [a, b] = [md.indexOf(begin), md.indexOf(end)];
if (a < 0 || b < a) throw new Error(`BENCHMARKS.md has no ${begin} ... ${end} block`);
await writeFile(path, `${md.slice(0, a + begin.length)}\n${block}\n${md.slice(b)}`);
console.log(`BENCHMARKS.md: browser block written (${rows.length} rows)`);

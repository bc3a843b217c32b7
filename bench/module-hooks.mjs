// What timing module loads costs, each way Node offers (issue #9; the figures are quoted in
// src/init/module-loads.ts). Every sample is a fresh Node process (the Node 22 and 24 that Lambda
// runs, from node_modules) that hooks module loading one way, then loads:
//   cjs     four AWS SDK clients (S3, DynamoDB, SQS, SNS) with require(): 42 CommonJS files, 196
//           require() calls; with IMPORT_CJS=1 with import(), as the bench's heavy function (an
//           ES module) loads them;
//   esm     a generated graph of 300 ES modules with import();
//   cached  20 000 require() calls of an already loaded file (the per-require cost of a hook).
// Figures are CPU time (every thread of the process), medians; modes are interleaved round by
// round, in a fresh random order each round, so that machine drift hits all alike:
//   none       no hook;
//   channel    a subscriber to Node's module.require tracing channel (Node >= 22.4), start and end;
//   hooks      module.registerHooks() resolve and load hooks that only call next() (Node >= 22.15);
//   recorder   the layer's ModuleLoadRecorder as the preload arms it (a Module._load wrapper,
//              the layer's registerHooks registration, a mark appended to each ES module);
//   first-use  the layer's instrumentations-on-first-use hooks (a Module.prototype.require
//              wrapper, a resolve watcher on the same registration), as armed before the
//              function loads; the SDK's load activates the aws-sdk and http instrumentations;
//   both       first-use and recorder, as while the function loads;
//   register   module.register() with a pass-through loader (a loader thread; the pre-22.15 way).
//
//   npm run build && node bench/module-hooks.mjs [rounds=15]      (MODES=none,recorder,... for some)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODES = (process.env.MODES ?? 'none,channel,hooks,recorder,first-use,both,register').split(',');
const CACHED_REQUIRES = 20_000;

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else {
  await parent(Number(process.argv[2] ?? 15));
}

async function parent(rounds) {
  const { buildSync } = await import('esbuild');
  const work = mkdtempSync(join(tmpdir(), 'module-hooks-'));
  const recorder = join(work, 'hooks.mjs');
  writeFileSync(
    join(work, 'entry.ts'),
    `export { ModuleLoadRecorder } from ${JSON.stringify(join(root, 'src/init/module-loads.ts'))};\n` +
      `export { loadOnFirstUse } from ${JSON.stringify(join(root, 'src/instrumentations/on-first-use.ts'))};\n` +
      `export { createDiag } from ${JSON.stringify(join(root, 'src/diag.ts'))};\n`,
  );
  buildSync({ entryPoints: [join(work, 'entry.ts')], bundle: true, format: 'esm', platform: 'node', outfile: recorder, logLevel: 'error' });
  const tree = join(work, 'tree');
  mkdirSync(tree);
  writeTree(tree, 300);
  writeFileSync(join(work, 'cached.cjs'), 'module.exports = 1;\n');
  for (const node of ['node22', 'node24']) {
    const bin = join(root, 'node_modules', node, 'bin', 'node');
    const samples = Object.fromEntries(MODES.map((mode) => [mode, []]));
    for (let round = 0; round < rounds; round++) {
      // A fresh order each round: no mode always runs right after another.
      for (const mode of [...MODES].sort(() => Math.random() - 0.5)) {
        const out = execFileSync(bin, [fileURLToPath(import.meta.url), '--child', mode, recorder, work], { encoding: 'utf8' });
        samples[mode].push(JSON.parse(out));
      }
    }
    console.log(`\n${node} (${execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()}), medians of ${rounds} processes; "+" = minus none`);
    console.log('CPU time:   setup ms   cjs ms (+)        esm ms (+)        cached ns/require (+)   process ms (+)');
    const base = summary(samples.none);
    for (const mode of MODES) {
      const s = summary(samples[mode]);
      const plus = (key) => `${s[key].toFixed(1).padStart(7)} (${(s[key] - base[key] >= 0 ? '+' : '') + (s[key] - base[key]).toFixed(1)})`.padEnd(18);
      console.log(`${mode.padEnd(11)} ${s.setup.toFixed(2).padStart(8)}   ${plus('cjs')}${plus('esm')}${plus('cachedNs')}      ${plus('cpu')}`);
    }
  }
}

function summary(samples) {
  const median = (key) => {
    const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  return { setup: median('setup'), cjs: median('cjs'), esm: median('esm'), cachedNs: median('cachedNs'), cpu: median('cpu') };
}

/** A tree of ES modules, each importing up to three others, with a few kilobytes of code each. */
function writeTree(dir, count) {
  for (let i = 0; i < count; i++) {
    const imports = [1, 2, 3].map((k) => i * 3 + k).filter((k) => k < count);
    let source = imports.map((k) => `import { f${k} } from './m${k}.mjs';\n`).join('');
    source += `export function f${i}(n) { let s = 0; for (let j = 0; j < n; j++) s += j * ${i}; return s; }\n`;
    for (let c = 0; c < 30; c++) source += `export const c${c} = { id: ${c}, name: 'm${i}-${c}', list: [${c}, ${c + 1}], add(a) { return a + ${c}; } };\n`;
    source += `export const total = ${imports.map((k) => `f${k}(3)`).join(' + ') || '0'};\n`;
    writeFileSync(join(dir, `m${i}.mjs`), source);
  }
}

async function child(mode, recorderFile, work) {
  const { createRequire, registerHooks, register } = await import('node:module');
  const { subscribe } = await import('node:diagnostics_channel');
  const layer = await import(pathToFileURL(recorderFile).href);
  // CPU time of the process (every thread, so a loader thread counts), in ms: less disturbed than
  // wall time by other processes on a shared machine.
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const started = cpuMs();
  if (mode === 'channel') {
    const stack = [];
    const kept = [];
    subscribe('tracing:module.require:start', () => stack.push(performance.now()));
    subscribe('tracing:module.require:end', (message) => {
      const start = stack.pop();
      const end = performance.now();
      if (end - start >= 3) kept.push({ id: message.id, start, end });
    });
  } else if (mode === 'hooks') {
    registerHooks({ resolve: (specifier, context, next) => next(specifier, context), load: (url, context, next) => next(url, context) });
  } else if (mode === 'register') {
    const loader = 'export async function resolve(s, c, next) { return next(s, c); }\nexport async function load(u, c, next) { return next(u, c); }\n';
    register(`data:text/javascript,${encodeURIComponent(loader)}`);
  }
  if (mode === 'recorder' || mode === 'both') layer.ModuleLoadRecorder.start({ minMs: 3, layerUrl: 'file:///opt/otel-preload/' });
  if (mode === 'first-use' || mode === 'both') {
    // The built layer's instrumentations, loaded when the SDK requires what they patch.
    const layerDir = join(root, 'dist', 'layer', 'otel-preload');
    layer.loadOnFirstUse({ names: ['aws-sdk', 'http', 'undici'], layerDir, context: { ignoredHosts: new Set() }, diag: layer.createDiag('none') });
  }
  const setup = cpuMs() - started;

  const require = createRequire(join(work, 'x.cjs'));
  const clients = ['client-s3', 'client-dynamodb', 'client-sqs', 'client-sns'].map((client) => join(root, 'node_modules', '@aws-sdk', client, 'dist-cjs', 'index.js'));
  let t = cpuMs();
  if (process.env.IMPORT_CJS) for (const client of clients) await import(pathToFileURL(client).href);
  else for (const client of clients) require(client);
  const cjs = cpuMs() - t;

  t = cpuMs();
  await import(pathToFileURL(join(work, 'tree', 'm0.mjs')).href);
  const esm = cpuMs() - t;

  require('./cached.cjs');
  t = cpuMs();
  for (let i = 0; i < CACHED_REQUIRES; i++) require('./cached.cjs');
  const cachedNs = ((cpuMs() - t) * 1e6) / CACHED_REQUIRES;

  process.stdout.write(JSON.stringify({ setup, cjs, esm, cachedNs, cpu: cpuMs() }));
}

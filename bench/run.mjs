// `npm run bench` (after `node layer/build.mjs`): the upstream reference layer vs ours vs no layer,
// in the local Lambda sandbox (nodejs24.x), interleaved. See ./main.ts; figures and budgets are
// in ./budgets.ts. Results: bench-results/<timestamp>.json (git-ignored).
//
//   node bench/run.mjs            full run (~10 min on 2 cores)
//   node bench/run.mjs --quick    same as BENCH_SCALE=0.1 (about a minute; budgets still checked)
//   BENCH_SCALE=0.5 node bench/run.mjs   scales every sample count (cold starts, warm invocations)
//   BENCH_NODE22=0                      skip the extra nodejs22.x cold-start figures
//
// The .ts sources are transpiled by esbuild as they are required (as demo/run.cjs does).
import { transformSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { loader: 'ts', format: 'cjs', sourcefile: filename });
  module._compile(code, filename);
};
const { main } = require('./main.ts');
process.exitCode = await main(process.argv.slice(2));

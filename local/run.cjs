// Runs a TypeScript entry with plain node: `node local/run.cjs local/main.ts args…`. Each .ts file
// is transpiled by esbuild as it is required, so __dirname and relative paths stay those of the
// source files; the entry sees its own arguments from process.argv[2] on.
const { transformSync } = require('esbuild');
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { loader: 'ts', format: 'cjs', sourcefile: filename });
  module._compile(code, filename);
};
const [entry] = process.argv.splice(2, 1);
require(resolve(entry));

// Runs demo/demo.ts with plain node: each .ts file is transpiled by esbuild as it is
// required, so __dirname and relative paths stay those of the source files.
const { transformSync } = require('esbuild');
const { readFileSync } = require('node:fs');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { loader: 'ts', format: 'cjs', sourcefile: filename });
  module._compile(code, filename);
};
require('./demo.ts');

// An ES module `import` of a Node builtin builds the builtin's ESM facade, which reads every export
// and so loads the lazily-loaded internals behind them: `import 'fs'` pulls in fs/promises,
// readline and the REPL history, `import 'util'` the argument parser and the assert differ. The
// runtime itself loads builtins with require() for that reason. This plugin makes every static
// import of a builtin in the bundle a require() (through the banner's createRequire in an ES
// module bundle), and gives the bundle one binding per export of the builtin, each marked pure:
// esbuild's tree shaking keeps the names the bundle uses and drops the rest, so a cold start reads
// those few properties once and no other.
//
// Before, the builtin went to esbuild's CommonJS interop (`__toESM`) behind a facade of getters,
// one per export: for the 350 exports of the builtins the preload imports that defined two getters
// each at every cold start, about 1 ms on Node 24. (A bare `module.exports = require(...)` is
// worse: the interop reads each export's property descriptor, which loads Node's lazy properties.)
//
// The names are the build machine's Node's: an import of a name its Node lacks fails the build.
import { createRequire, isBuiltin } from 'node:module';

const NAMESPACE = 'builtin-as-require';
const require = createRequire(import.meta.url);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** An ES module re-exporting a builtin's exports from its require(), each binding tree-shakable. */
function moduleOf(builtin) {
  const names = Object.getOwnPropertyNames(require(builtin)).filter((name) => IDENTIFIER.test(name) && name !== 'default');
  return [
    `const builtin = require(${JSON.stringify(builtin)});`,
    'export default builtin;',
    ...names.map((name) => `export const ${name} = /* @__PURE__ */ (() => builtin.${name})();`),
  ].join('\n');
}

export const builtinsAsRequire = {
  name: NAMESPACE,
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/-]+$/ }, (args) =>
      args.kind === 'import-statement' && args.namespace !== NAMESPACE && isBuiltin(args.path)
        ? { path: args.path, namespace: NAMESPACE, sideEffects: false }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: moduleOf(args.path), loader: 'js' }));
  },
};

// An ES module `import` of a Node builtin builds the builtin's ESM facade, which reads every export
// and so loads the lazily-loaded internals behind them: `import 'fs'` pulls in fs/promises,
// readline and the REPL history, `import 'util'` the argument parser and the assert differ. The
// runtime itself loads builtins with require() for that reason. This plugin makes every static
// import of a builtin in the bundle a require() through the banner's createRequire, so the
// layer loads builtins the way the runtime does.
import { isBuiltin } from 'node:module';

const NAMESPACE = 'builtin-as-require';

export const builtinsAsRequire = {
  name: NAMESPACE,
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.kind === 'import-statement' && isBuiltin(args.path) ? { path: args.path, namespace: NAMESPACE } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

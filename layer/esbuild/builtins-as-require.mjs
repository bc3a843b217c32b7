// An ES module `import` of a Node builtin builds the builtin's ESM facade, which reads every export
// and so loads the lazily-loaded internals behind them: `import 'fs'` pulls in fs/promises,
// readline and the REPL history, `import 'util'` the argument parser and the assert differ. The
// runtime itself loads builtins with require() for that reason. This plugin makes every static
// import of a builtin in the bundle a require() through the banner's createRequire, so the
// layer loads builtins the way the runtime does.
//
// A bare `module.exports = require(...)` is not enough: esbuild's interop (`__toESM`) copies the
// module's properties and reads each one's descriptor, and a descriptor of one of Node's lazy data
// properties is its value, loaded. For `util` that was 3.6 ms of every cold start on Node 24
// (TextDecoder, the differ, parseArgs, ...). So the module handed to the interop is a facade:
// the builtin as `default`, and for each export a getter that reads the builtin when it is used.
import { isBuiltin } from 'node:module';

const NAMESPACE = 'builtin-as-require';

/** The facade, one module in the bundle that every builtin's module requires. */
const FACADE = 'builtin-facade';
const FACADE_SOURCE = `module.exports = (builtin) => {
  const facade = { __esModule: true, default: builtin };
  for (const name of Object.getOwnPropertyNames(builtin)) {
    if (name !== 'default') Object.defineProperty(facade, name, { get: () => builtin[name], enumerable: true });
  }
  return facade;
};`;

export const builtinsAsRequire = {
  name: NAMESPACE,
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/-]+$/ }, (args) => {
      if (args.namespace === NAMESPACE && args.path === FACADE) return { path: FACADE, namespace: NAMESPACE };
      return args.kind === 'import-statement' && isBuiltin(args.path) ? { path: args.path, namespace: NAMESPACE } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents:
        args.path === FACADE ? FACADE_SOURCE : `module.exports = require(${JSON.stringify(FACADE)})(require(${JSON.stringify(args.path)}));`,
      loader: 'js',
    }));
  },
};

// Builds the layer: dist/layer/ (what Lambda unpacks under /opt) and dist/layer.zip. The file
// names come from src/layer-files.ts, which the preload uses too:
//   otel-wrapper                    the AWS_LAMBDA_EXEC_WRAPPER script, from wrapper/otel-wrapper.in
//   otel-preload/preload.mjs        loaded with --import: everything start-up needs, in one file
//   otel-preload/otel-handler.mjs   the handler module the runtime loads in place of the user's;
//                                   it imports preload.mjs (one module instance, shared state)
//   otel-preload/exporters/otlp.mjs the OTLP serialiser and transport, loaded on the first export
//   otel-preload/instrumentations.cjs the client instrumentations, loaded when the function first
//                                   uses what one of them patches (src/instrumentations/catalog.ts)
//   otel-preload/payload/capture.mjs payload capture, loaded only when it is switched on
//   otel-preload/chunks/*.mjs       code those later files share
//   otel-preload/VERSION            package.json's version
//
// Start-up is one file because each ES module costs its own resolve, read, compile and link: the
// preload as one file loaded ~6 ms faster than as eleven chunks. For the same reason the
// instrumentations are one file, and a CommonJS one, which Node loads without the ES module
// loader's resolve, link and hook passes: a function's first AWS SDK require loaded the aws-sdk
// and http instrumentations as ten ES modules in 16-20 ms, and loads them as this file in 10-11
// ms (2-core VM, Node 24; init added for the bench's SDK function went from 53.8 to 48.4 ms).
// The later files carry their own copies of the OpenTelemetry API and core: the API keeps its
// state in a process-wide global, so copies of one version act as one.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinsAsRequire } from './esbuild/builtins-as-require.mjs';
import { inlineSemconv } from './esbuild/inline-semconv.mjs';
import { separateFiles } from './esbuild/separate-files.mjs';
import { loadTs } from './load-ts.mjs';
import { renderWrapper } from './wrapper.mjs';
import { createZip } from './zip.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const layerDir = join(dist, 'layer');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { version: otelSdkVersion } = JSON.parse(
  readFileSync(join(root, 'node_modules', '@opentelemetry', 'sdk-trace-base', 'package.json'), 'utf8'),
);
const names = await loadTs(join(root, 'layer', 'shared-names.ts'));
const outdir = join(layerDir, names.PRELOAD_DIR);

// Each layer file and the source it is built from.
const entry = (file) => file.replace(/\.[cm]js$/, '');
const preload = { [entry(names.PRELOAD_FILE)]: 'src/preload.ts' };
const handler = { [entry(names.HANDLER_FILE)]: 'src/handler-entry.ts' };
const later = {
  [entry(names.OTLP_EXPORTER_FILE)]: 'src/export/otlp-sink.ts',
  [entry(names.PAYLOAD_CAPTURE_FILE)]: 'src/payload/capture.ts',
  [entry(names.INIT_SPANS_FILE)]: 'src/init/init-spans.ts',
};
const instrumentations = { [entry(names.INSTRUMENTATIONS_FILE)]: 'src/instrumentations/all.ts' };
// Preload and handler module sit at the top of otel-preload/, so an import of another layer file
// from them is `./<that file>`.
const separate = new Map(
  Object.entries({ ...preload, ...handler, ...later }).map(([out, source]) => [join(root, source), `./${out}.mjs`]),
);
const others = (own) => new Map([...separate].filter(([source]) => !Object.values(own).some((s) => join(root, s) === source)));

rmSync(dist, { recursive: true, force: true });
mkdirSync(layerDir, { recursive: true });

const common = {
  absWorkingDir: root,
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // ESM builds of the OpenTelemetry packages tree-shake far better than their CJS builds.
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  metafile: true,
  define: { __LAYER_VERSION__: JSON.stringify(version), __OPENTELEMETRY_SDK_VERSION__: JSON.stringify(otelSdkVersion) },
  // CommonJS dependencies call require(); an ES module has none, so give each file one.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  alias: { debug: './layer/esbuild/debug-off.cjs' },
  logLevel: 'warning',
  // A named import the build's Node lacks would be undefined at run time (builtins-as-require.mjs).
  logOverride: { 'import-is-undefined': 'error' },
};
const plugins = (own) => [separateFiles(others(own)), builtinsAsRequire, inlineSemconv(root)];

const results = await Promise.all([
  build({ ...common, entryPoints: preload, plugins: plugins(preload) }),
  build({ ...common, entryPoints: handler, plugins: plugins(handler) }),
  // Nothing in these imports another layer file, so the chunks/ folder needs no such links.
  build({ ...common, entryPoints: later, splitting: true, chunkNames: 'chunks/[name]-[hash]', plugins: plugins(later) }),
  // CommonJS has a require() of its own: no banner.
  build({ ...common, entryPoints: instrumentations, format: 'cjs', outExtension: { '.js': '.cjs' }, banner: {}, plugins: plugins(instrumentations) }),
]);
const metafile = { inputs: {}, outputs: {} };
for (const { metafile: part } of results) {
  Object.assign(metafile.inputs, part.inputs);
  Object.assign(metafile.outputs, part.outputs);
}
writeFileSync(join(dist, 'meta.json'), JSON.stringify(metafile));

writeFileSync(join(outdir, names.VERSION_FILE), `${version}\n`);
const wrapperTemplate = readFileSync(join(root, 'wrapper', 'otel-wrapper.in'), 'utf8');
writeFileSync(join(layerDir, names.WRAPPER_FILE), renderWrapper(wrapperTemplate, {
  PRELOAD_PATH: `${names.PRELOAD_DIR}/${names.PRELOAD_FILE}`,
  DIAG_PREFIX: names.DIAG_PREFIX,
}));
chmodSync(join(layerDir, names.WRAPPER_FILE), 0o755);

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
})(layerDir);
const zip = createZip(
  files.map((path) => ({
    name: relative(layerDir, path),
    data: readFileSync(path),
    mode: statSync(path).mode & 0o777,
  })),
);
writeFileSync(join(dist, 'layer.zip'), zip);
const unzipped = files.reduce((sum, path) => sum + statSync(path).size, 0);
console.log(`layer: dist/layer.zip ${zip.length} bytes (${unzipped} unzipped, ${files.length} files)`);

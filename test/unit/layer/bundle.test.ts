/**
 * The start-up path of the built layer (`npm test` builds it first): what the preload and the
 * handler module load before the function runs, from esbuild's metafile.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { INSTRUMENTATIONS } from '../../../src/config/load';
import { HANDLER_FILE, INSTRUMENTATIONS_FILE, PRELOAD_FILE, VERSION_FILE } from '../../../src/layer-files';
import { BUILT_PRELOAD_DIR, DIST, PROJECT_ROOT } from '../../helpers/paths';
import { runtimes } from '../../helpers/sandbox/sandbox';

interface Metafile {
  outputs: Record<string, { imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }>;
}

const meta = JSON.parse(readFileSync(join(DIST, 'meta.json'), 'utf8')) as Metafile;

/** Every input bundled into the outputs an entry loads through static imports. */
function loadedAtStartUp(entry: string): Set<string> {
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const visit = (output: string): void => {
    if (seen.has(output) || meta.outputs[output] === undefined) return;
    seen.add(output);
    for (const input of Object.keys(meta.outputs[output].inputs)) inputs.add(input);
    for (const { path, kind } of meta.outputs[output].imports) if (kind === 'import-statement') visit(path);
  };
  visit(entry);
  return inputs;
}

describe('the built layer', () => {
  const output = (file: string): string => relative(PROJECT_ROOT, join(BUILT_PRELOAD_DIR, file));
  const startUp = new Set([...loadedAtStartUp(output(PRELOAD_FILE)), ...loadedAtStartUp(output(HANDLER_FILE))]);

  it('has every instrumentation in one CommonJS file, which loads without the ES module loader', () => {
    const script = `const { instrumentations } = require(${JSON.stringify(join(BUILT_PRELOAD_DIR, INSTRUMENTATIONS_FILE))});
      console.log(JSON.stringify(Object.keys(instrumentations).filter((name) => typeof instrumentations[name].enable === 'function')));`;
    const out = execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect((JSON.parse(out) as string[]).sort()).toEqual([...INSTRUMENTATIONS].sort());
    // No chunk of it is an ES module of its own: it is a single file.
    expect(Object.keys(meta.outputs).filter((output) => output.includes('instrumentation'))).toEqual([output(INSTRUMENTATIONS_FILE)]);
  });

  it("carries package.json's version in a file", () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(readFileSync(join(BUILT_PRELOAD_DIR, VERSION_FILE), 'utf8')).toBe(`${version}\n`);
  });

  it('loads no instrumentation, no exporter and no semantic-conventions catalogue at start-up', () => {
    const heavy = [...startUp].filter((input) =>
      /@opentelemetry\/(instrumentation|otlp-transformer)|semantic-conventions\/dist\/index\.cjs|node_modules\/debug\//.test(input),
    );
    expect(heavy).toEqual([]);
    // The start-up path still is what traces an invocation.
    expect(startUp).toContain('src/preload.ts');
    expect(startUp).toContain('src/handler/wrap.ts');
  });

  it('bundles no instrumentation with the whole semantic-conventions package', () => {
    const everywhere = Object.values(meta.outputs).flatMap((output) => Object.keys(output.inputs));
    expect(everywhere.filter((input) => input.includes('semantic-conventions/dist/index.cjs'))).toEqual([]);
  });

  // esbuild's interop reads the descriptor of every property of an imported builtin, and for
  // Node's lazily loaded properties that loads them: `util`'s cost 3.6 ms of each cold start.
  it.each(runtimes.map((runtime) => [runtime.name, runtime.nodeBin]))(
    '%s: loading the preload does not load the internals behind util\'s lazy properties',
    (_name, nodeBin) => {
      const script = "console.log(JSON.stringify(process.moduleLoadList.filter((m) => /util\\/diff|parse_args/.test(m))))";
      const out = execFileSync(nodeBin, ['--import', join(BUILT_PRELOAD_DIR, PRELOAD_FILE), '-e', script], {
        env: { PATH: process.env.PATH, OTEL_SDK_DISABLED: 'true' },
        encoding: 'utf8',
      });
      expect(JSON.parse(out)).toEqual([]);
    },
  );
});

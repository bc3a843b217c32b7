import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadUserFunction, loaderStyleFor, type LoaderStyle } from '../../../src/handler/load';
import { parseHandler } from '../../../src/handler/resolve';
import { functionFixture } from '../../helpers/sandbox/task-root';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/**
 * A task root of fixture files under the names a test needs (`functionFixture`'s layout): by
 * default from test/fixtures/functions/load-candidates, small handlers that say which file was taken.
 */
function taskRoot(layout: Record<string, string>, fixture = 'load-candidates'): string {
  const root = functionFixture(fixture, layout);
  roots.push(root);
  return root;
}

/** import() is stubbed: jest cannot import ES modules, and which file gets imported is what matters here. */
const NAMESPACE = { handler: () => 'imported', default: { main: () => 'default export' } };

async function load(root: string, handler: string, style: LoaderStyle, namespace: object = NAMESPACE) {
  const imported: string[] = [];
  const ref = parseHandler(handler);
  if (!ref) throw new Error('malformed');
  const fn = await loadUserFunction({
    taskRoot: root,
    ref,
    style,
    runtimeRequire: createRequire(__filename),
    importModule: async (specifier) => {
      imported.push(specifier);
      return namespace;
    },
  });
  return { fn, imported };
}

describe('parseHandler', () => {
  it.each([
    ['index.handler', { moduleRoot: '', moduleName: 'index', functionPath: 'handler' }],
    ['src/handlers/api.main', { moduleRoot: 'src/handlers/', moduleName: 'api', functionPath: 'main' }],
    ['index.handlers.main', { moduleRoot: '', moduleName: 'index', functionPath: 'handlers.main' }],
    ['/opt/x.y/app.run', { moduleRoot: '/opt/x.y/', moduleName: 'app', functionPath: 'run' }],
  ])('%s', (handler, expected) => {
    expect(parseHandler(handler)).toEqual({ full: handler, ...expected });
  });

  it.each(['index', '../index.handler', 'a/../b.handler', ''])('%s is left to the runtime', (handler) => {
    expect(parseHandler(handler)).toBeUndefined();
  });
});

describe('loaderStyleFor', () => {
  it('follows the runtime that ships with each Node major', () => {
    expect(loaderStyleFor(20)).toBe('require-first');
    expect(loaderStyleFor(22)).toBe('require-first');
    expect(loaderStyleFor(24)).toBe('import-all');
  });
});

describe('loadUserFunction, 3.x rules (require-first)', () => {
  it('requires an extensionless file first', async () => {
    const root = taskRoot({ index: 'says-extensionless.js', 'index.js': 'says-js.js' });
    const { fn, imported } = await load(root, 'index.handler', 'require-first');
    expect(fn()).toBe('extensionless');
    expect(imported).toEqual([]);
  });

  it('requires .js without "type":"module", imports it with', async () => {
    const cjs = taskRoot({ 'index.js': 'says-cjs.js' });
    expect((await load(cjs, 'index.handler', 'require-first')).fn()).toBe('cjs');
    const esm = taskRoot({ 'index.js': 'index.js', 'package.json': 'package.json' }, 'type-module');
    expect((await load(esm, 'index.handler', 'require-first')).imported).toEqual([join(esm, 'index.js')]);
  });

  it('imports .mjs and requires .cjs', async () => {
    const mjs = taskRoot({ 'app.mjs': 'never-runs.mjs' });
    expect((await load(mjs, 'app.handler', 'require-first')).imported).toEqual([join(mjs, 'app.mjs')]);
    const cjs = taskRoot({ 'app.cjs': 'says-cjs.js' });
    expect((await load(cjs, 'app.handler', 'require-first')).fn()).toBe('cjs');
  });

  it('walks nested folders and nested property paths', async () => {
    const root = taskRoot({ 'src/handlers/api.js': 'nested.js' });
    expect((await load(root, 'src/handlers/api.handlers.main', 'require-first')).fn()).toBe('nested');
  });

  it('loads esbuild CJS output with non-configurable export getters untouched', async () => {
    const root = taskRoot({ 'index.js': 'bundled.js' });
    expect((await load(root, 'index.handler', 'require-first')).fn()).toBe('bundled');
  });

  it('does not look into default exports (only 4.x does)', async () => {
    const root = taskRoot({ 'index.js': 'default-export.js' });
    await expect(load(root, 'index.handler', 'require-first')).rejects.toMatchObject({
      name: 'Runtime.HandlerNotFound',
      message: 'index.handler is undefined or not exported',
    });
  });
});

describe('loadUserFunction, 4.x rules (import-all)', () => {
  it.each([
    [['index', 'index.js'], 'index'],
    [['index.js', 'index.mjs'], 'index.js'],
    [['index.mjs', 'index.cjs'], 'index.mjs'],
    [['index.cjs'], 'index.cjs'],
  ])('imports the first of "", .js, .mjs, .cjs that exists (%j)', async (files, expected) => {
    const root = taskRoot(Object.fromEntries(files.map((file) => [file, 'never-runs.mjs'])));
    expect((await load(root, 'index.handler', 'import-all')).imported).toEqual([join(root, expected)]);
  });

  it('retries the property path on the default export', async () => {
    const root = taskRoot({ 'index.mjs': 'never-runs.mjs' });
    expect((await load(root, 'index.main', 'import-all')).fn()).toBe('default export');
  });

  it('falls back to require.resolve from the task root', async () => {
    const root = taskRoot({ 'node_modules/pkg/index.js': 'says-from-package.js' });
    expect((await load(root, 'pkg.handler', 'import-all')).fn()).toBe('from package');
  });
});

describe('loadUserFunction: the runtime\'s errors', () => {
  it.each<LoaderStyle>(['require-first', 'import-all'])('%s: missing and non-function handlers', async (style) => {
    const root = taskRoot({ 'index.cjs': 'not-a-function.js' });
    const namespace = { notAFunction: 42 };
    await expect(load(root, 'index.missing', style, namespace)).rejects.toMatchObject({
      name: 'Runtime.HandlerNotFound',
      message: 'index.missing is undefined or not exported',
    });
    await expect(load(root, 'index.notAFunction', style, namespace)).rejects.toMatchObject({
      name: 'Runtime.HandlerNotFound',
      message: 'index.notAFunction is not a function',
    });
  });

  it.each<LoaderStyle>(['require-first', 'import-all'])('%s: a missing module keeps its MODULE_NOT_FOUND error', async (style) => {
    const root = taskRoot({});
    await expect(load(root, 'nothing.handler', style)).rejects.toMatchObject({ code: 'MODULE_NOT_FOUND' });
  });

  it('a syntax error surfaces as the SyntaxError itself', async () => {
    const root = taskRoot({ 'index.js': 'commonjs.txt' }, 'syntax-errors');
    await expect(load(root, 'index.handler', 'require-first')).rejects.toBeInstanceOf(SyntaxError);
  });
});

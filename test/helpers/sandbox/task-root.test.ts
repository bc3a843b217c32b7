/**
 * The fixture functions (test/fixtures/functions) are code the tests run, so tsc checks them as it
 * checks the rest: tsconfig has allowJs without checkJs, so each handler file opts in with
 * `// @ts-check`, and no code may hide in a file tsc never reads. And functionFixture copies them
 * as the tests ask.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_FIXTURES, PROJECT_ROOT } from '../paths';
import { functionFixture } from './task-root';

/**
 * The one exception: handlers cut short on purpose (Runtime.UserCodeSyntaxError), which tsc would
 * refuse. They are .txt files that tsc never reads; the tests copy them to the names they need.
 */
const SYNTAX_ERRORS = 'syntax-errors/';
/** Types for the globals the runtime gives a function (awslambda), shared by the streaming handlers. */
const RUNTIME_GLOBALS = 'awslambda.d.ts';

const files = readdirSync(FUNCTION_FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((file) => statSync(join(FUNCTION_FIXTURES, file)).isFile())
  .sort();
const isScript = (file: string): boolean => /\.(js|mjs|cjs)$/.test(file);

describe('test/fixtures/functions', () => {
  it('every .js, .mjs and .cjs file under test/fixtures/functions starts with // @ts-check', () => {
    const scripts = files.filter(isScript);
    expect(scripts.length).toBeGreaterThan(0);
    const unchecked = scripts.filter((file) => !readFileSync(join(FUNCTION_FIXTURES, file), 'utf8').startsWith('// @ts-check\n'));
    expect(unchecked).toEqual([]);
});

it('holds no code tsc skips: only scripts, package.json files, the runtime globals, and the deliberate syntax errors', () => {
  const others = files.filter(
    (file) =>
      !isScript(file) &&
      file !== RUNTIME_GLOBALS &&
      !file.endsWith('package.json') &&
      !(file.startsWith(SYNTAX_ERRORS) && file.endsWith('.txt')),
  );
  expect(others).toEqual([]);
});

it('is in what tsc checks: tsconfig includes test/ with allowJs, and excludes none of it', () => {
  const tsconfig = JSON.parse(readFileSync(join(PROJECT_ROOT, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { allowJs?: boolean };
    include: string[];
    exclude?: string[];
  };
  expect(tsconfig.compilerOptions.allowJs).toBe(true);
  expect(tsconfig.include).toContain('test');
  const fixtures = 'test/fixtures/functions';
  const covering = (tsconfig.exclude ?? [])
    .map((pattern) => pattern.replace(/\/?\*.*$/, ''))
    .filter((folder) => folder !== '' && (fixtures.startsWith(folder) || folder.startsWith(fixtures)));
  expect(covering).toEqual([]);
});
});

describe('functionFixture', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  const listed = (root: string): string[] => readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();

  it('copies the whole folder, or with a layout only the files it names, each to its path', () => {
    const whole = functionFixture('http-request-esm');
    const laidOut = functionFixture('echo-and-handler-cjs', { app: 'index.js', 'src/handlers/api.js': 'index.js' });
    roots.push(whole, laidOut);
    expect(listed(whole)).toEqual(['early.mjs', 'index.mjs']);
    expect(listed(laidOut)).toEqual(['app', 'src', 'src/handlers', 'src/handlers/api.js']);
    expect(readFileSync(join(laidOut, 'app'), 'utf8')).toBe(readFileSync(join(FUNCTION_FIXTURES, 'echo-and-handler-cjs', 'index.js'), 'utf8'));
  });

  it('refuses a path outside the task root', () => {
    expect(() => functionFixture('echo-cjs', { '../index.js': 'index.js' })).toThrow('path escapes the task root: ../index.js');
  });
});

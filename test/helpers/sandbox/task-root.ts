import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';
import { FUNCTION_FIXTURES } from '../paths';
import { tempDir } from '../temp-dir';

function newTaskRoot(name: string): string {
  return tempDir(`lambda-task-${name}-`);
}

/**
 * A fresh copy of the fixture function `name` (a folder under test/fixtures/functions), as a task
 * root in os.tmpdir().
 *
 * With `layout` (path in the task root -> file of the fixture folder), only those files are copied,
 * each to its path: for the tests about a file's name or place (extensionless modules, `.cjs`,
 * nested folders, a module that is not there), and for files tsc must not see under the name the
 * runtime needs (an extensionless module, a deliberate syntax error).
 */
export function functionFixture(name: string, layout?: Readonly<Record<string, string>>): string {
  const source = join(FUNCTION_FIXTURES, name);
  const escaping = Object.keys(layout ?? {}).find((target) => isAbsolute(target) || normalize(target).split('/')[0] === '..');
  if (escaping !== undefined) throw new Error(`functionFixture: path escapes the task root: ${escaping}`);
  const root = newTaskRoot(name);
  if (layout === undefined) {
    cpSync(source, root, { recursive: true });
    return root;
  }
  for (const [target, file] of Object.entries(layout)) {
    mkdirSync(dirname(join(root, target)), { recursive: true });
    copyFileSync(join(source, file), join(root, target));
  }
  return root;
}

/**
 * A task root whose index.js is the fixture file `entry` of folder `name` bundled by esbuild as
 * CommonJS, the way `esbuild --bundle` ships a function; `options` adds to the build's.
 */
export function bundledFixture(name: string, entry: string, options: Pick<BuildOptions, 'target' | 'logLevel'> = {}): string {
  const root = newTaskRoot(name);
  buildSync({
    entryPoints: [join(FUNCTION_FIXTURES, name, entry)],
    outfile: join(root, 'index.js'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    ...options,
  });
  return root;
}

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIAG_PREFIX } from '../../../src/diag';
import { PRELOAD_DIR, PRELOAD_FILE, WRAPPER_FILE } from '../../../src/layer-files';
import { BUILT_LAYER, PROJECT_ROOT } from '../../helpers/paths';
import { runtimes } from '../../helpers/sandbox/sandbox';

/**
 * What the wrapped command sees: NODE_OPTIONS, its arguments, the URL the last --import names once
 * parsed (the preload's import.meta.url), and the URL Node itself makes of the preload's path.
 */
const PRINT = `
const { pathToFileURL } = require('node:url');
const options = process.env.NODE_OPTIONS ?? null;
const imported = options?.includes('--import ') ? options.split('--import ').pop() : undefined;
process.stdout.write(JSON.stringify({
  options,
  args: process.argv.slice(1),
  importUrl: imported === undefined ? null : new URL(imported).href,
  preloadUrl: pathToFileURL(process.env.PRELOAD_PATH ?? '').href,
}));`;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'wrapper-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the built layer unpacked in a folder named `name`, as a user might unpack it. */
function layerCopy(name: string): string {
  const dir = join(mkdtempSync(join(scratch, 'l-')), name);
  mkdirSync(dir);
  cpSync(BUILT_LAYER, dir, { recursive: true });
  return dir;
}

function run(layer: string, env: Record<string, string>, args: string[] = [], node = process.execPath) {
  const result = spawnSync(join(layer, WRAPPER_FILE), [node, '-e', PRINT, '--', ...args], {
    env: { PATH: process.env.PATH ?? '', PRELOAD_PATH: join(layer, PRELOAD_DIR, PRELOAD_FILE), ...env },
    encoding: 'utf8',
  });
  const printed = JSON.parse(result.stdout || '{}') as { options?: string | null; args?: string[]; importUrl?: string | null; preloadUrl?: string };
  return { status: result.status, stderr: result.stderr, ...printed };
}

const LOADED = `${DIAG_PREFIX} DEBUG handler undefined left to the runtime`;

describe('otel-wrapper', () => {
  let layer: string;
  beforeAll(() => {
    layer = layerCopy('my layer');
  });

  it('adds the preload with --import as a file: URL, and node loads it', () => {
    const out = run(layer, { OTEL_LOG_LEVEL: 'debug' });
    expect(out.options).toBe(`--import ${out.preloadUrl}`);
    expect(out.preloadUrl).toMatch(/^file:\/\/\/.*%20layer\//);
    expect(out.status).toBe(0);
    // The preload ran: with no _HANDLER it leaves the runtime alone and says so at debug level.
    expect(out.stderr).toContain(LOADED);
  });

  // Each name would break a bare path somewhere: % # ? as URL syntax, tab and newline dropped by
  // the URL parser, space and " split or quoted by NODE_OPTIONS, the rest quoted or expanded by a
  // careless shell script; é is two bytes in UTF-8.
  const awkward = ['100%', '%41', 'a#b', 'why?', 'it\'s', 'say "hi"', 'tab\there', 'new\nline', 'cr\rhere', '$HOME `x` ;|&', 'café', '[x]{y}<z>^'];
  describe.each(runtimes.map((runtime) => [runtime.name, runtime.nodeBin]))('on %s', (_name, nodeBin) => {
    it.each(awkward.map((name) => [JSON.stringify(name), name]))('starts the preload unpacked under %s', (_shown, name) => {
      const dir = layerCopy(name);
      const out = run(dir, { OTEL_LOG_LEVEL: 'debug' }, [], nodeBin);
      expect(out.stderr).toContain(LOADED);
      expect(out.status).toBe(0);
      // Once parsed, the very URL Node makes of that path: import.meta.url is the same as for an import of it.
      expect(out.importUrl).toBe(out.preloadUrl);
    });
  });

  it('keeps whatever NODE_OPTIONS the user already had', () => {
    const out = run(layer, { NODE_OPTIONS: '--max-old-space-size=100 --enable-source-maps' });
    expect(out.options).toBe(`--max-old-space-size=100 --enable-source-maps --import ${out.preloadUrl}`);
    expect(out.status).toBe(0);
  });

  it('passes the runtime command through unchanged, arguments with spaces included', () => {
    expect(run(layer, {}, ['two words', '--flag', '']).args).toEqual(['two words', '--flag', '']);
  });

  it.each(['true', 'TRUE', 'True'])('with OTEL_SDK_DISABLED=%s starts the runtime untouched', (value) => {
    const out = run(layer, { OTEL_SDK_DISABLED: value, NODE_OPTIONS: '--enable-source-maps' });
    expect(out.options).toBe('--enable-source-maps');
    expect(out.stderr).toBe('');
  });

  it('under a path with a backslash, which Node cannot import from, says so and starts the function untraced', () => {
    const dir = layerCopy('back\\slash');
    const out = run(dir, { NODE_OPTIONS: '--enable-source-maps' });
    expect(out.options).toBe('--enable-source-maps');
    expect(out.status).toBe(0);
    expect(out.stderr).toBe(
      `${DIAG_PREFIX} ERROR the layer is unpacked under a path with a backslash, which Node cannot import from: ${dir}; starting the function untraced\n`,
    );
  });

  it('without the preload says so on stderr and still starts the function', () => {
    const broken = mkdtempSync(join(scratch, 'no preload \\n '));
    cpSync(join(BUILT_LAYER, WRAPPER_FILE), join(broken, WRAPPER_FILE));
    const out = run(broken, {});
    expect(out.options).toBeNull();
    expect(out.status).toBe(0);
    expect(out.stderr).toBe(
      `${DIAG_PREFIX} ERROR preload not found at ${join(broken, PRELOAD_DIR, PRELOAD_FILE)}; starting the function untraced\n`,
    );
  });
});

describe('the wrapper script', () => {
  const shellcheck = spawnSync('shellcheck', ['--version']);
  const check = shellcheck.error === undefined ? it : it.skip;
  if (shellcheck.error !== undefined) {
    // .ci/run installs Debian's shellcheck; elsewhere: apt-get install shellcheck.
    console.warn('skipping the shellcheck test: shellcheck is not installed (apt-get install shellcheck)');
  }

  check('passes shellcheck, as built and as its template', () => {
    const result = spawnSync('shellcheck', ['--shell=sh', join(BUILT_LAYER, WRAPPER_FILE), join(PROJECT_ROOT, 'wrapper', 'otel-wrapper.in')], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

/**
 * The recorder with Node's real hooks, in a process of its own on each Node version Lambda runs
 * (jest's module system would hide Node's `require` from the hooks).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { FIXTURES, PROJECT_ROOT } from '../../helpers/paths';
import { runtimes } from '../../helpers/sandbox/sandbox';
import { functionFixture } from '../../helpers/sandbox/task-root';
import { tempDir } from '../../helpers/temp-dir';

interface Recorded {
  marks: Record<string, number>;
  timeOrigin: number;
  requires: { id: string; parent: string | undefined; start: number; end: number }[];
  imports: { parentUrl?: string; specifier: string; url: string; at: number }[];
  loaded: string[];
  evaluated: Record<string, number>;
  takenTwice: boolean;
  loadRestored: boolean;
  markerLeft: boolean;
}

const bundle = join(tempDir('init-recorder-'), 'recorder.mjs');
beforeAll(() => {
  buildSync({ entryPoints: [join(PROJECT_ROOT, 'src/init/recorder.ts')], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'error' });
});

describe.each(runtimes.map((r) => [r.name, r.nodeBin] as const))('on %s', (_runtime, nodeBin) => {
  let taskRoot = '';
  let recorded: Recorded;
  beforeAll(() => {
    taskRoot = functionFixture('slow-init');
    const out = execFileSync(nodeBin, [join(FIXTURES, 'scripts', 'record-init.mjs'), bundle, taskRoot, join(PROJECT_ROOT, 'dist')], { encoding: 'utf8' });
    recorded = JSON.parse(out) as Recorded;
  });
  const file = (name: string): string => join(taskRoot, name);
  const url = (name: string): string => pathToFileURL(file(name)).href;

  it('keeps the slow CommonJS loads with their times, and drops the fast ones', () => {
    const byId = new Map(recorded.requires.map((r) => [r.id, r]));
    // Imported by an ES module: no parent file, and kept whatever it took.
    const slow = byId.get(file('lib/slow-cjs.cjs'));
    const inner = byId.get('./inner-cjs.cjs');
    expect(slow?.parent).toBeUndefined();
    expect(inner?.parent).toBe(file('lib/slow-cjs.cjs'));
    expect((slow?.end ?? 0) - (slow?.start ?? 0)).toBeGreaterThanOrEqual(55);
    expect((inner?.end ?? 0) - (inner?.start ?? 0)).toBeGreaterThanOrEqual(28);
    expect(inner?.start).toBeGreaterThan(slow?.start ?? Infinity);
    // handler.cjs requires slow-cjs.cjs again: cached, fast, not kept.
    expect(recorded.requires.filter((r) => r.id === './lib/slow-cjs.cjs')).toEqual([]);
  });

  it('marks when each ES module finished evaluating, and what imported it', () => {
    const ends = recorded.evaluated;
    for (const name of ['index.mjs', 'lib/slow-esm.mjs', 'lib/inner-esm.mjs', 'lib/busy-wait.mjs']) expect(ends[url(name)]).toBeDefined();
    // Depth first: an import finishes before its importer.
    expect(ends[url('lib/inner-esm.mjs')]).toBeLessThan(ends[url('lib/slow-esm.mjs')]);
    expect(ends[url('lib/slow-esm.mjs')] - ends[url('lib/inner-esm.mjs')]).toBeGreaterThanOrEqual(28);
    expect(recorded.imports).toContainEqual(expect.objectContaining({ parentUrl: url('lib/slow-esm.mjs'), specifier: './inner-esm.mjs', url: url('lib/inner-esm.mjs') }));
    expect(recorded.loaded).toContain(url('lib/slow-cjs.cjs'));
  });

  it('records nothing once the handler is ready, and leaves no hook behind', () => {
    expect(recorded.evaluated[url('after-init.mjs')]).toBeUndefined();
    expect(recorded.loaded).not.toContain(url('after-init.mjs'));
    expect(recorded.requires.map((r) => r.id)).not.toContain(file('after-init.cjs'));
    expect(recorded.loadRestored).toBe(true);
    expect(recorded.markerLeft).toBe(false);
    expect(recorded.takenTwice).toBe(false);
  });

  it('notes the phases in order, from the process\'s own start', () => {
    const { nodeReady, preloadStart, preloadEnd, functionLoadStart, functionLoadEnd, handlerReady } = recorded.marks;
    expect(nodeReady).toBeGreaterThan(0);
    expect([nodeReady, preloadStart, preloadEnd, functionLoadStart, functionLoadEnd, handlerReady]).toEqual(
      [nodeReady, preloadStart, preloadEnd, functionLoadStart, functionLoadEnd, handlerReady].sort((a, b) => a - b),
    );
    expect(functionLoadEnd - functionLoadStart).toBeGreaterThanOrEqual(110);
    expect(recorded.timeOrigin).toBeLessThan(Date.now());
    expect(recorded.timeOrigin).toBeGreaterThan(Date.now() - 60_000);
  });
});

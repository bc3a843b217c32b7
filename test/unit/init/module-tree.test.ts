import type { ImportEdge, ModuleLoads, RequireLoad } from '../../../src/init/module-loads';
import { moduleTree, type LoadNode } from '../../../src/init/module-tree';

const ROOT = 'file:///var/task/';
const url = (name: string): string => `${ROOT}${name}`;

/** Loads as the recorder would have them, from a compact description. */
function loads({
  imports = [],
  loaded = {},
  evaluated = {},
  requires = [],
}: {
  imports?: [parent: string | undefined, specifier: string, at: number][];
  loaded?: Record<string, number>;
  evaluated?: Record<string, number>;
  requires?: RequireLoad[];
}): ModuleLoads {
  const edge = ([parent, specifier, at]: [string | undefined, string, number]): ImportEdge => ({
    parentUrl: parent === undefined ? undefined : url(parent),
    specifier,
    url: specifier.startsWith('/') ? `file://${specifier}` : url(specifier.replace(/^\.\//, '')),
    at,
  });
  return {
    requires,
    imports: imports.map(edge),
    loaded: new Map(Object.entries(loaded).map(([name, at]) => [url(name), at])),
    evaluated: new Map(Object.entries(evaluated).map(([name, at]) => [url(name), at])),
  };
}

/** `name [start-end]` with children indented: what the tree says, at a glance. */
function outline(nodes: readonly LoadNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.kind} ${n.request} [${n.start}-${n.end}]`, ...outline(n.children, depth + 1)]);
}

describe('moduleTree', () => {
  it('nests CommonJS loads by their own times', () => {
    const tree = moduleTree(
      loads({
        requires: [
          { id: './inner', parent: '/var/task/outer.js', start: 12, end: 40 },
          { id: './outer', parent: '/var/task/index.js', start: 10, end: 70 },
          { id: 'express', parent: '/var/task/index.js', start: 75, end: 90 },
        ],
      }),
    );
    expect(outline(tree)).toEqual(['require ./outer [10-70]', '  require ./inner [12-40]', 'require express [75-90]']);
  });

  it('replays an ES module graph: each module starts where the one evaluated before it ended', () => {
    // index.mjs imports a.mjs (which imports b.mjs) and c.cjs; the graph loads from 0 to 8.
    const tree = moduleTree(
      loads({
        imports: [
          [undefined, '/var/task/index.mjs', 0],
          ['index.mjs', './a.mjs', 2],
          ['index.mjs', './c.cjs', 3],
          ['a.mjs', './b.mjs', 5],
        ],
        loaded: { 'index.mjs': 1, 'a.mjs': 4, 'c.cjs': 6, 'b.mjs': 8 },
        evaluated: { 'b.mjs': 40, 'a.mjs': 70, 'index.mjs': 131 },
        requires: [{ id: '/var/task/c.cjs', parent: undefined, start: 71, end: 130 }],
      }),
    );
    expect(outline(tree)).toEqual([
      'import /var/task/index.mjs [0-131]',
      '  import ./a.mjs [8-70]',
      '    import ./b.mjs [8-40]',
      '  require ./c.cjs [71-130]',
    ]);
    expect(tree[0].file).toBe('/var/task/index.mjs');
    expect(tree[0].children[1].file).toBe('/var/task/c.cjs');
  });

  it('puts a module imported twice under the importer that evaluated it first', () => {
    // index imports db then api; api imports db too, which is evaluated by then.
    const tree = moduleTree(
      loads({
        imports: [
          [undefined, '/var/task/index.mjs', 0],
          ['index.mjs', './db.mjs', 1],
          ['index.mjs', './api.mjs', 1],
          ['api.mjs', './db.mjs', 2],
        ],
        loaded: { 'index.mjs': 1, 'db.mjs': 2, 'api.mjs': 3 },
        evaluated: { 'db.mjs': 50, 'api.mjs': 60, 'index.mjs': 61 },
      }),
    );
    expect(outline(tree)).toEqual(['import /var/task/index.mjs [0-61]', '  import ./db.mjs [3-50]', '  import ./api.mjs [50-60]']);
  });

  it('leaves a module imported dynamically (evaluated after its importer) as a graph of its own', () => {
    const tree = moduleTree(
      loads({
        imports: [
          [undefined, '/var/task/index.mjs', 0],
          ['index.mjs', './late.mjs', 20],
        ],
        loaded: { 'index.mjs': 1, 'late.mjs': 21 },
        evaluated: { 'index.mjs': 30, 'late.mjs': 45 },
      }),
    );
    expect(outline(tree)).toEqual(['import /var/task/index.mjs [0-30]', 'import ./late.mjs [20-45]']);
  });

  it('shows the imports of a module that never finished (a top-level await that outlives init)', () => {
    const tree = moduleTree(
      loads({
        imports: [
          [undefined, '/var/runtime/index.mjs', 0],
          ['index.mjs', './client.mjs', 1],
          ['index.mjs', './errors.mjs', 1],
        ],
        loaded: { 'index.mjs': 1, 'client.mjs': 2, 'errors.mjs': 3 },
        evaluated: { 'client.mjs': 9, 'errors.mjs': 12 },
      }),
    );
    expect(outline(tree)).toEqual(['import ./client.mjs [3-9]', 'import ./errors.mjs [9-12]']);
  });

  it('nests an ES module required from CommonJS inside that require', () => {
    const tree = moduleTree(
      loads({
        loaded: { 'lib/e.mjs': 11 },
        evaluated: { 'lib/e.mjs': 48 },
        requires: [{ id: './lib/e.mjs', parent: '/var/task/index.js', start: 10, end: 50 }],
      }),
    );
    expect(outline(tree)).toEqual(['require ./lib/e.mjs [10-50]', '  import file:///var/task/lib/e.mjs [11-48]']);
  });
});

import { fileURLToPath } from 'node:url';
import type { ImportEdge, ModuleLoads, RequireLoad } from './module-loads';

/** One module load with its nested loads: what a module span shows. Times from `performance.now()`. */
export interface LoadNode {
  readonly kind: 'require' | 'import';
  /** The request or specifier as the importer wrote it (a path for a file the runtime or layer loaded). */
  readonly request: string;
  /** The requiring file (CommonJS), to resolve `request` from when `file` is unknown. */
  readonly parent: string | undefined;
  /** The loaded file, when known without resolving. */
  readonly file: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly children: LoadNode[];
}

interface Draft {
  kind: 'require' | 'import';
  request: string;
  parent: string | undefined;
  file: string | undefined;
  start: number;
  end: number;
  children: Draft[];
}

/**
 * Turns recorded loads into trees, nested as the loads nested, ordered by start.
 *
 * CommonJS loads carry exact start and end times. An ES module only marks when its body ended:
 * Node loads and links the whole graph first, then evaluates it depth first, each module after
 * the modules it imports. So the graph's evaluation order is replayed from the recorded imports
 * (in request order, skipping what an earlier graph evaluated), and each module is taken to start
 * where the previous one in that order ended (its first import where its importer started, a
 * graph's first module when the graph's last source was read). A graph's root starts when it was
 * first resolved, so its span includes loading and linking the graph.
 */
export function moduleTree(loads: ModuleLoads): LoadNode[] {
  const graph = new ImportGraph(loads);
  const drafts = [...graph.evaluate(), ...graph.otherRequires().map(requireDraft)];
  return nest(drafts).map(freeze);
}

function requireDraft(load: RequireLoad): Draft {
  return { kind: 'require', request: load.id, parent: load.parent, file: isAbsolutePath(load.id) ? load.id : undefined, start: load.start, end: load.end, children: [] };
}

/** A module in the replayed evaluation: an ES module, or a CommonJS file an ES module imported. */
interface GraphNode {
  readonly url: string;
  readonly request: string;
  /** CommonJS files: their exact load. */
  readonly require: RequireLoad | undefined;
  /** ES modules: when the body ended (undefined: it never finished during init). */
  readonly end: number | undefined;
  readonly children: GraphNode[];
}

class ImportGraph {
  private readonly edges = new Map<string, ImportEdge[]>();
  private readonly firstSeen = new Map<string, { at: number; specifier: string }>();
  /** CommonJS loads an ES module started (no parent file), by path. */
  private readonly importedRequires = new Map<string, RequireLoad>();
  private readonly usedRequires = new Set<RequireLoad>();
  private readonly visited = new Set<string>();

  constructor(private readonly loads: ModuleLoads) {
    for (const edge of loads.imports) {
      const from = edge.parentUrl ?? '';
      const list = this.edges.get(from) ?? [];
      if (!list.some((e) => e.url === edge.url)) list.push(edge);
      this.edges.set(from, list);
      if (!this.firstSeen.has(edge.url)) this.firstSeen.set(edge.url, { at: edge.at, specifier: edge.specifier });
    }
    for (const load of loads.requires) {
      if (load.parent === undefined && !this.importedRequires.has(load.id)) this.importedRequires.set(load.id, load);
    }
  }

  /** Replays every graph's evaluation, roots in the order they were first resolved. */
  evaluate(): Draft[] {
    const candidates = [...new Set([...this.loads.loaded.keys(), ...this.firstSeen.keys()])]
      .filter((url) => this.isModule(url))
      .sort((a, b) => this.seenAt(a) - this.seenAt(b));
    const drafts: Draft[] = [];
    for (const url of candidates) {
      if (this.visited.has(url)) continue;
      this.visited.add(url);
      const root = this.visit(url, this.firstSeen.get(url)?.specifier ?? url);
      const seenAt = this.seenAt(url);
      drafts.push(...this.time(root, seenAt, evaluationStart(root, this.loads.loaded) ?? seenAt));
    }
    return drafts;
  }

  /** CommonJS loads that are not part of an ES module graph. */
  otherRequires(): RequireLoad[] {
    return this.loads.requires.filter((load) => !this.usedRequires.has(load));
  }

  private isModule(url: string): boolean {
    return this.loads.loaded.has(url) && (this.loads.evaluated.has(url) || this.requireOf(url) !== undefined || this.edges.has(url));
  }

  private seenAt(url: string): number {
    return Math.min(this.firstSeen.get(url)?.at ?? Infinity, this.loads.loaded.get(url) ?? Infinity);
  }

  private requireOf(url: string): RequireLoad | undefined {
    if (!url.startsWith('file:')) return undefined;
    return this.importedRequires.get(fileURLToPath(url));
  }

  private visit(url: string, request: string): GraphNode {
    const require = this.requireOf(url);
    if (require !== undefined) this.usedRequires.add(require);
    const end = require?.end ?? this.loads.evaluated.get(url);
    const children: GraphNode[] = [];
    for (const edge of this.edges.get(url) ?? []) {
      if (this.visited.has(edge.url) || !this.isModule(edge.url)) continue;
      const childEnd = this.requireOf(edge.url)?.end ?? this.loads.evaluated.get(edge.url);
      // Ending after its importer, it was imported dynamically, not as part of this graph.
      if (end !== undefined && childEnd !== undefined && childEnd > end) continue;
      this.visited.add(edge.url);
      children.push(this.visit(edge.url, edge.specifier));
    }
    return { url, request, require, end, children };
  }

  /**
   * Start and end of a node and its subtree: CommonJS loads keep their own times, an ES module
   * starts at `cursor` (where the previous module in evaluation order ended). A module that never
   * finished is left out, its imports taking its place.
   */
  private time(node: GraphNode, start: number, cursor: number): Draft[] {
    const children: Draft[] = [];
    let next = node.require?.start ?? cursor;
    for (const child of node.children) {
      const timed = this.time(child, next, next);
      children.push(...timed);
      next = timed.at(-1)?.end ?? next;
    }
    if (node.end === undefined) return children;
    const file = node.url.startsWith('file:') ? fileURLToPath(node.url) : undefined;
    const own = node.require ?? { start: Math.min(start, node.end), end: node.end };
    return [{ kind: node.require ? 'require' : 'import', request: node.request, parent: undefined, file, start: own.start, end: own.end, children }];
  }
}

/** Where a graph's evaluation began: once the last of its sources was read. */
function evaluationStart(root: GraphNode, loaded: ReadonlyMap<string, number>): number | undefined {
  let latest = -Infinity;
  let firstEnd = Infinity;
  const walk = (node: GraphNode): void => {
    latest = Math.max(latest, loaded.get(node.url) ?? -Infinity);
    if (node.end !== undefined) firstEnd = Math.min(firstEnd, node.require?.start ?? node.end);
    node.children.forEach(walk);
  };
  walk(root);
  const start = Math.min(latest, firstEnd);
  return Number.isFinite(start) ? start : undefined;
}

/**
 * Nests loads by their intervals: each goes under the shortest load that contains it. A load that
 * outlasts the one it started in (a dynamic `import()` that finished later) is not part of it.
 */
function nest(drafts: Draft[]): Draft[] {
  const all: Draft[] = [];
  const flatten = (draft: Draft): void => {
    all.push(draft);
    draft.children.forEach(flatten);
    draft.children = [];
  };
  drafts.forEach(flatten);
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const roots: Draft[] = [];
  const stack: Draft[] = [];
  for (const draft of all) {
    while (stack.length > 0 && !contains(stack.at(-1) as Draft, draft)) stack.pop();
    const parent = stack.at(-1);
    (parent?.children ?? roots).push(draft);
    stack.push(draft);
  }
  return roots;
}

function contains(outer: Draft, inner: Draft): boolean {
  return inner.start < outer.end && inner.end <= outer.end;
}

function freeze(draft: Draft): LoadNode {
  return { ...draft, children: draft.children.map(freeze) };
}

function isAbsolutePath(id: string): boolean {
  return id.startsWith('/');
}

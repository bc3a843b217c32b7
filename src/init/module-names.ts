import { isBuiltin } from 'node:module';

/** Whose code a module is: the function's (task root), a layer's (`/opt`), or the runtime's (Node, its SDK). */
export type ModuleOrigin = 'function' | 'layer' | 'runtime';

export interface ModuleName {
  /** The package (`@aws-sdk/client-dynamodb`, `lodash/fp`) or path relative to the task root (`lib/db.mjs`). */
  readonly name: string;
  readonly origin: ModuleOrigin;
}

export interface CodeRoots {
  /** LAMBDA_TASK_ROOT. */
  readonly taskRoot: string;
  /** Where Lambda unpacks layers (`/opt`): the folder holding this layer's own folder. */
  readonly layerRoot: string;
}

const NODE_MODULES = '/node_modules/';

/**
 * Names a module as a user looks for it: a bare request as written (the package, or a subpath
 * of it); a file inside `node_modules` by its package and path in it; any other file by its path
 * relative to the task root (or the layer root); a builtin by its id.
 */
export function nameModule(request: string, file: string | undefined, roots: CodeRoots): ModuleName {
  const origin = originOf(file, roots);
  if (isBuiltin(request) || isBare(request)) return { name: request, origin };
  if (file === undefined) return { name: request, origin };
  const inPackages = file.lastIndexOf(NODE_MODULES);
  if (inPackages >= 0) return { name: file.slice(inPackages + NODE_MODULES.length), origin };
  const root = origin === 'function' ? roots.taskRoot : origin === 'layer' ? roots.layerRoot : undefined;
  return { name: root === undefined ? file : file.slice(withSlash(root).length), origin };
}

function originOf(file: string | undefined, { taskRoot, layerRoot }: CodeRoots): ModuleOrigin {
  if (file === undefined) return 'runtime';
  if (isInside(file, taskRoot)) return 'function';
  if (isInside(file, layerRoot)) return 'layer';
  return 'runtime';
}

function isInside(file: string, folder: string): boolean {
  return folder !== '' && file.startsWith(withSlash(folder));
}

function withSlash(folder: string): string {
  return folder.endsWith('/') ? folder : `${folder}/`;
}

function isBare(request: string): boolean {
  return !(request.startsWith('.') || request.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(request));
}

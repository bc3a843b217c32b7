import { basename } from 'node:path';

/** `_HANDLER` split the way the runtime splits it. */
export interface HandlerRef {
  /** The handler string as Lambda gave it, used verbatim in error messages. */
  readonly full: string;
  /** Everything before the basename, with its trailing slash (`""` or `"src/handlers/"`). */
  readonly moduleRoot: string;
  readonly moduleName: string;
  /** The property path after the module, `a.b.c`. */
  readonly functionPath: string;
}

const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;

/**
 * Returns undefined where the runtime itself would fail with `Runtime.MalformedHandlerName`
 * (a `..` anywhere, or no dot in the basename): the layer then leaves `_HANDLER` alone so the
 * runtime reports that error exactly as it would without us.
 */
export function parseHandler(full: string): HandlerRef | undefined {
  if (full.includes('..')) return undefined;
  const handlerString = basename(full);
  const moduleRoot = full.substring(0, full.indexOf(handlerString));
  const match = FUNCTION_EXPR.exec(handlerString);
  if (!match) return undefined;
  return { full, moduleRoot, moduleName: match[1], functionPath: match[2] };
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** An ES module the recorder appended a statement to, and that statement. */
export interface AppendedModule {
  readonly url: string;
  readonly appended: string;
}

/** `import()` as seen from an ES module; injected because the caller is one and tests are not. */
export type ImportModule = (specifier: string) => Promise<unknown>;

/**
 * How many of the last loaded unfinished modules are tried: Node compiles each module as it loads
 * it, so the one that failed is among the last; a SyntaxError thrown while a module ran (a bad
 * `JSON.parse`) matches none, and is left alone after this many compiles.
 */
const MAX_CANDIDATES = 10;

/** Put first, it stops a module that compiles at link time: nothing compiled here is evaluated. */
const NEVER_LINKS = 'import "lambda-otel-preload:never-linked";\n';

/**
 * A module whose source ends mid-statement (`export const handler = async (`) fails to compile
 * whatever is appended to it, but the statement the recorder appends changes V8's message
 * (`Unexpected token ';'` instead of `Unexpected end of input`). When the function's load failed
 * with a SyntaxError, this finds the module it came from (the appended-to modules that never
 * finished evaluating, compiled again as marked until one gives the same message) and puts back
 * the message its own source gives, so that the runtime reports the error as without the layer.
 */
export async function restoreSyntaxError(error: unknown, candidates: readonly AppendedModule[], importModule: ImportModule): Promise<void> {
  if (!(error instanceof SyntaxError)) return;
  for (const { url, appended } of candidates.slice(0, MAX_CANDIDATES)) {
    const source = readSource(url);
    if (source === undefined || (await compileError(source + appended, importModule)) !== error.message) continue;
    const own = await compileError(source, importModule);
    if (own !== undefined && own !== error.message) {
      if (typeof error.stack === 'string') error.stack = error.stack.replace(`${error.name}: ${error.message}`, `${error.name}: ${own}`);
      error.message = own;
    }
    return;
  }
}

/** What V8 says compiling `source` as an ES module; undefined when it compiles. */
async function compileError(source: string, importModule: ImportModule): Promise<string | undefined> {
  try {
    await importModule(`data:text/javascript;base64,${Buffer.from(NEVER_LINKS + source).toString('base64')}`);
  } catch (error) {
    return error instanceof SyntaxError ? error.message : undefined;
  }
  return undefined;
}

function readSource(url: string): string | undefined {
  try {
    return readFileSync(fileURLToPath(url), 'utf8');
  } catch {
    return undefined;
  }
}

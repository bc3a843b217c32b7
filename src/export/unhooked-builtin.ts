/**
 * `node:http`/`node:https` for the exporter, fetched past every require hook. The instrumentations
 * load when the function first requires a module they patch; the layer's own export must not count
 * as such a require, or a function that makes no requests would load the HTTP instrumentation at
 * its first export. `import()` would pass no hook either, but building a builtin's ES module facade
 * loads every lazy part of it (for node:http, tens of milliseconds). `process.getBuiltinModule` is
 * taken here, while the preload loads, before any hook wraps it.
 */
export type HttpModule = Pick<typeof import('node:http'), 'request' | 'Agent'>;

const getBuiltinModule = typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule.bind(process) : undefined;

export function unhookedHttpModule(protocol: string): HttpModule {
  const id = protocol === 'https:' ? 'node:https' : 'node:http';
  return (getBuiltinModule?.(id) ?? require(id)) as HttpModule;
}

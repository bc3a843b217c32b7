// Keeps some imports out of a bundle: they load, at run time, a file the layer ships on its own.
// The preload and the handler module must share one module instance (the redirect state), and
// what loads only later (the OTLP exporter, the instrumentations) must not be parsed at start-up.
// An import is matched by the source file it resolves to, so no import string is repeated here.
import { dirname, join } from 'node:path';

/**
 * @param {ReadonlyMap<string, string>} separate absolute path of a source file (with its extension)
 *   -> the layer file built from it, relative to the importing bundle (`./exporters/otlp.mjs`)
 */
export function separateFiles(separate) {
  return {
    name: 'separate-files',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const base = join(dirname(args.importer), args.path);
        const to = separate.get(base) ?? separate.get(`${base}.ts`);
        return to === undefined ? undefined : { path: to, external: true };
      });
    },
  };
}

// Keeps some imports out of a bundle: they load, at run time, a file the layer ships on its own.
// The preload and the handler module must share one module instance (the redirect state), and
// what loads only later (the OTLP exporter, the instrumentations) must not be parsed at start-up.
import { join } from 'node:path';

/** @param {string} root @param {{ importer: string, request: string, to: string }[]} links */
export function separateFiles(root, links) {
  return {
    name: 'separate-files',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const link = links.find((l) => args.importer === join(root, l.importer) && args.path === l.request);
        return link === undefined ? undefined : { path: link.to, external: true };
      });
    },
  };
}

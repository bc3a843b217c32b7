// The OpenTelemetry instrumentations ship CommonJS only, and `require('@opentelemetry/semantic-conventions')`
// from CommonJS cannot be tree-shaken: each instrumentation would pull in the whole package
// (~80 KB minified, and every one of its ~2000 constants built at start-up) to read a few dozen
// strings. This plugin replaces `semconv_1.ATTR_X` in those files by the constant's value and drops
// the require. Any other use of the imported binding fails the build, so nothing can go missing.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const PACKAGE = '@opentelemetry/semantic-conventions';
const REQUIRE = /(?:const|var|let) (\w+) = require\("@opentelemetry\/semantic-conventions"\);\n?/;
const FILES = /[\\/]node_modules[\\/]@opentelemetry[\\/]instrumentation-[^\\/]+[\\/]build[\\/]src[\\/].*\.js$/;

export function inlineSemconv(projectRoot) {
  const semconv = createRequire(`${projectRoot}/package.json`)(PACKAGE);
  return {
    name: 'inline-semconv',
    setup(build) {
      build.onLoad({ filter: FILES }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const match = REQUIRE.exec(source);
        if (match === null) return undefined;
        const binding = match[1];
        const contents = source.replace(REQUIRE, '').replace(new RegExp(`\\b${binding}\\.(\\w+)\\b`, 'g'), (_, name) => {
          if (!(name in semconv)) throw new Error(`${args.path}: ${PACKAGE} has no export ${name}`);
          return JSON.stringify(semconv[name]);
        });
        if (new RegExp(`\\b${binding}\\b`).test(contents)) {
          throw new Error(`${args.path} uses ${binding} other than as ${binding}.NAME; cannot inline ${PACKAGE}`);
        }
        return { contents, loader: 'js' };
      });
    },
  };
}

import { nameModule } from '../../../src/init/module-names';

const roots = { taskRoot: '/var/task', layerRoot: '/opt' };

describe('nameModule', () => {
  it.each([
    ['a package, as required', '@aws-sdk/client-dynamodb', '/var/task/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js', '@aws-sdk/client-dynamodb', 'function'],
    ['a subpath of a package, as required', 'lodash/fp', '/var/task/node_modules/lodash/fp.js', 'lodash/fp', 'function'],
    ['a file inside a package, by package and path', './dist-cjs/protocols', '/var/task/node_modules/@smithy/core/dist-cjs/protocols.js', '@smithy/core/dist-cjs/protocols.js', 'function'],
    ['a file of the function, relative to the task root', './lib/db', '/var/task/lib/db.js', 'lib/db.js', 'function'],
    ['the handler, imported by path', '/var/task/index.mjs', '/var/task/index.mjs', 'index.mjs', 'function'],
    ['a layer\'s file, relative to /opt', '/opt/otel-preload/instrumentations.cjs', '/opt/otel-preload/instrumentations.cjs', 'otel-preload/instrumentations.cjs', 'layer'],
    ['a layer\'s package', '@middy/core', '/opt/nodejs/node_modules/@middy/core/index.js', '@middy/core', 'layer'],
    ['the runtime\'s SDK', '@aws-sdk/client-s3', '/var/runtime/node_modules/@aws-sdk/client-s3/dist-cjs/index.js', '@aws-sdk/client-s3', 'runtime'],
    ['the runtime\'s own file', '/var/runtime/index.mjs', '/var/runtime/index.mjs', '/var/runtime/index.mjs', 'runtime'],
    ['a builtin', 'node:http', undefined, 'node:http', 'runtime'],
  ])('names %s', (_what, request, file, name, origin) => {
    expect(nameModule(request, file, roots)).toEqual({ name, origin });
  });

  it('does not take a sibling folder of the task root for the task root', () => {
    expect(nameModule('/var/task-other/x.js', '/var/task-other/x.js', roots)).toEqual({ name: '/var/task-other/x.js', origin: 'runtime' });
  });
});

/**
 * The layer's http instrumentation (the built file, in a process of its own: it patches node:http)
 * under a suppressed context, as an AWS SDK call's own request is: Node's function gets the request
 * as the function made it, without the instrumentation parsing it first; other requests are traced.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { INSTRUMENTATIONS_FILE } from '../../../src/layer-files';
import { BUILT_PRELOAD_DIR, FIXTURES, PROJECT_ROOT } from '../../helpers/paths';

it('passes a request made under suppressed tracing straight to Node, and traces the others', () => {
  const out = execFileSync(process.execPath, [join(FIXTURES, 'scripts', 'http-under-suppression.mjs'), join(BUILT_PRELOAD_DIR, INSTRUMENTATIONS_FILE)], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  const result = JSON.parse(out) as { suppressedReachedNodeAsMade: boolean; tracedReachedNodeAsMade: boolean; spans: string[] };
  expect(result.suppressedReachedNodeAsMade).toBe(true);
  // The instrumentation passes a request it traces on as a parsed copy, with its headers added.
  expect(result.tracedReachedNodeAsMade).toBe(false);
  expect(result.spans).toEqual([expect.stringMatching(/^GET .*\/traced$/)]);
});

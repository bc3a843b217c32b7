/**
 * `npm run demo`, the README's first command: two functions of a sample application in the local
 * sandbox, one trace linked to the next, a failing request and cold starts, all on the screen.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/paths';

describe('npm run demo', () => {
  it('shows the application\'s three traces: the request that sends, the failing one, and the linked consumer', () => {
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'local', 'run.cjs'), join(PROJECT_ROOT, 'demo', 'demo.ts')], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    // Each log line carries the ids of its trace (log correlation).
    expect(out).toMatch(/│ .*\tINFO\ttrace_id=[0-9a-f]{32} span_id=[0-9a-f]{16} trace_flags=01\torder o-1001 found: 6 x espresso cups/);
    expect(out).toMatch(/│ .*\tINFO\ttrace_id=[0-9a-f]{32} span_id=[0-9a-f]{16} trace_flags=01\tshipment for order o-1001 recorded/);
    // A cold start's trace also holds its init (how many module spans depends on load times).
    expect(out).toMatch(/^trace 1: orders-api: GET \/orders\/\{id\} +[0-9a-f]{32} +\d+ spans · [\d.]+ ms · cold start$/m);
    expect(out).toMatch(/^ {4}init INTERNAL/m);
    expect(out).toMatch(/^ {4}DynamoDB\.GetItem CLIENT/m);
    expect(out).toMatch(/^ {4}shipments send PRODUCER/m);
    expect(out).toMatch(/^trace 2: orders-api: GET \/orders\/\{id\} +[0-9a-f]{32} +2 spans · [\d.]+ ms · 2 errors$/m);
    expect(out).toContain('✗ ValidationException: The provided key element does not match the schema');
    expect(out).toMatch(/^trace 3: order-worker: process shipments +[0-9a-f]{32} +\d+ spans · [\d.]+ ms · cold start$/m);
    expect(out).toContain('↗ links to shipments send in trace 1');
    expect(out).toContain('↖ linked from process shipments in trace 3');
    const page = /^HTML page of these traces: (.+)$/m.exec(out)?.[1] as string;
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8')).toContain('order-worker: process shipments');
    rmSync(join(page, '..'), { recursive: true, force: true });
  });
});

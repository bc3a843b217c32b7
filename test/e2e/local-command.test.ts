/**
 * `npm run local` as a user runs it: on a function of their own outside this repository (an ES
 * module and a CommonJS one), with a setting from their environment, the command prints the
 * function's logs and the layer's, its answer, and the trace the setting shaped, and writes the
 * HTML page it names.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DIAG_PREFIX } from '../../src/diag';
import { PROJECT_ROOT } from '../helpers/paths';
import { functionFixture } from '../helpers/sandbox/task-root';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run local -- args…` without npm: the script it runs, with only the given environment. */
function runLocal(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'local', 'run.cjs'), join(PROJECT_ROOT, 'local', 'main.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function htmlPageOf(stdout: string): string {
  const path = /^HTML page of these traces: (.+)$/m.exec(stdout)?.[1];
  expect(path).toBeDefined();
  expect(existsSync(path as string)).toBe(true);
  const html = readFileSync(path as string, 'utf8');
  rmSync(join(path as string, '..'), { recursive: true, force: true });
  return html;
}

describe('npm run local', () => {
  let downstream: Server;
  let downstreamUrl: string;
  beforeAll(async () => {
    downstream = createServer((_req, res) => res.writeHead(200).end('{"count":3}'));
    await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
    downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}`;
  });
  afterAll(() => downstream.close());

  it('runs an ES module function with a sample event; OTEL_SERVICE_NAME from the environment names its trace', async () => {
    const taskRoot = functionFixture('user-esm');
    const run = await runLocal([taskRoot, 'index.handler', '--event-kind', 'sqs', '--env', `DOWNSTREAM_URL=${downstreamUrl}`], {
      OTEL_SERVICE_NAME: 'checkout-service',
      LAMBDA_OTEL_LOG_CORRELATION: 'true',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The function's own log line, as the runtime writes it (time, request id, level, message),
    // with the ids of its trace (log correlation).
    const line = /│ \S+\t[0-9a-f-]{36}\tINFO\ttrace_id=([0-9a-f]{32}) span_id=[0-9a-f]{16} trace_flags=01\tuser-esm: processing 3 records/.exec(run.stdout);
    expect(run.stdout).toContain(`trace 1: checkout-service: process orders  ${line?.[1]}`);
    expect(run.stdout).toContain('answer cold start');
    expect(run.stdout).toContain('{"processed":3,"stock":200}');
    // The setting's effect: the service name of the trace; the fetch inside it as a client span.
    // A cold start's trace also holds its init (how many module spans depends on load times).
    expect(run.stdout).toMatch(/^trace 1: checkout-service: process orders +[0-9a-f]{32} +\d+ spans/m);
    expect(run.stdout).toMatch(/^ {4}init INTERNAL /m);
    expect(run.stdout).toMatch(/^ {4}GET CLIENT /m);
    expect(run.stdout).toContain('settings for the function: OTEL_SERVICE_NAME, LAMBDA_OTEL_LOG_CORRELATION, DOWNSTREAM_URL');
    const html = htmlPageOf(run.stdout);
    expect(html).toContain('checkout-service: process orders');
    rmSync(taskRoot, { recursive: true, force: true });
  });

  it('runs a CommonJS function on nodejs22.x, twice; OTEL_LOG_LEVEL=debug from the environment shows the layer\'s debug lines', async () => {
    const taskRoot = functionFixture('user-cjs');
    const run = await runLocal(
      [taskRoot, 'handler.main', '--event-kind', 'api-gateway-v2', '--runtime', 'nodejs22.x', '--invocations', '2', '--env', 'GREETING=hello'],
      { OTEL_LOG_LEVEL: 'debug', LAMBDA_OTEL_LOG_CORRELATION: 'true' },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.match(/│ \S+\t[0-9a-f-]{36}\tINFO\ttrace_id=[0-9a-f]{32} span_id=[0-9a-f]{16} trace_flags=01\tuser-cjs: hello from \/orders\/123/g)).toHaveLength(2);
    // The setting's effect: the layer says, at debug level, how it exports.
    expect(run.stdout).toContain(`│ ${DIAG_PREFIX} DEBUG export mode: after-response`);
    expect(run.stdout).toMatch(new RegExp(`│ \\${DIAG_PREFIX} DEBUG exported 1 spans`));
    expect(run.stdout).toContain('(nodejs22.x, handler.main in');
    expect(run.stdout.match(/answer cold start/g)).toHaveLength(1);
    // Both invocations continue the trace of the sample request's traceparent header.
    expect(run.stdout).toMatch(/^trace 1: lambda-task-user-cjs-\S+: GET \/orders\/\{id\} +4bf92f3577b34da6a3ce929d0e0e4736 +\d+ spans/m);
    htmlPageOf(run.stdout);
    rmSync(taskRoot, { recursive: true, force: true });
  });

  it('with --endpoint sends the spans there and says it cannot show them', async () => {
    const received: string[] = [];
    const backend = createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${req.headers['x-api-key']}`);
      req.resume().on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const taskRoot = functionFixture('user-cjs');
    const run = await runLocal([taskRoot, 'handler.main', '--endpoint', `http://127.0.0.1:${(backend.address() as AddressInfo).port}`], {
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret-key',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
    });
    backend.close();
    expect(run.code).toBe(0);
    expect(received).toEqual(['POST /v1/traces secret-key']);
    expect(run.stdout).toContain('note: OTEL_EXPORTER_OTLP_ENDPOINT from your environment is not used: spans go to --endpoint');
    expect(run.stdout).toContain('This command cannot show them');
    // Names only: a header's value is a secret.
    expect(run.stdout).not.toContain('secret-key');
    rmSync(taskRoot, { recursive: true, force: true });
  });

  it('explains a wrong command line', async () => {
    const run = await runLocal(['only-one-argument'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('npm run local: give the task root and the handler');
    expect(run.stderr).toContain('--event-kind <kind>');
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Env } from '../../../src/config/load';
import { createDiag } from '../../../src/diag';
import { chooseExportPolicy } from '../../../src/export/choose';
import { Flusher } from '../../../src/export/flusher';
import { SpanBuffer } from '../../../src/export/span-buffer';

/** A Runtime API stand-in that answers registration with the given status. */
async function runtimeApi(status: number): Promise<{ server: Server; address: string; registrations: string[]; bodies: string[] }> {
  const registrations: string[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/2020-01-01/extension/register') {
      registrations.push(String(req.headers['lambda-extension-name']));
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => bodies.push(chunk));
      res.writeHead(status, status === 200 ? { 'Lambda-Extension-Identifier': 'ext-1' } : {});
      res.end(status === 200 ? '{}' : '{"errorType":"Extension.RegistrationClosed"}');
    }
    // event/next is left pending, as Lambda does between invocations.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}`, registrations, bodies };
}

async function choose(env: Env) {
  const lines: string[] = [];
  const diag = createDiag('debug', (line) => lines.push(line));
  const flusher = new Flusher(new SpanBuffer(1), () => ({ send: async () => ({ ok: true as const }), sendBlocking: () => ({ ok: true as const }) }), 'test', diag);
  const policy = await chooseExportPolicy(loadConfig(env, () => {}), flusher, diag);
  return { policy, lines };
}

const servers: Server[] = [];
afterAll(() => servers.forEach((server) => (server.closeAllConnections(), server.close())));

describe('chooseExportPolicy', () => {
  it('auto: registers for INVOKE and exports after the response', async () => {
    const api = await runtimeApi(200);
    servers.push(api.server);
    const { policy, lines } = await choose({ AWS_LAMBDA_RUNTIME_API: api.address });
    expect(policy).toHaveProperty('mode', 'after-response');
    expect(api.registrations).toEqual(['lambda-otel-preload']);
    expect(lines).toEqual([expect.stringContaining('DEBUG export mode: after-response')]);
  });

  it('auto: falls back to sync, quietly, when registration is refused', async () => {
    const api = await runtimeApi(403);
    servers.push(api.server);
    const { policy, lines } = await choose({ AWS_LAMBDA_RUNTIME_API: api.address });
    expect(policy).not.toHaveProperty('mode');
    expect(lines).toEqual([expect.stringMatching(/DEBUG export mode: sync, because the extension could not register \(HTTP 403/)]);
  });

  it('after-response asked for but impossible: sync, with a warning', async () => {
    const { lines } = await choose({ LAMBDA_OTEL_EXPORT_MODE: 'after-response' });
    expect(lines).toEqual([expect.stringContaining('WARN export mode: sync, because the extension could not register (AWS_LAMBDA_RUNTIME_API is not set)')]);
  });

  it('auto on managed instances (AWS_LAMBDA_MAX_CONCURRENCY): batch, without registering', async () => {
    const api = await runtimeApi(200);
    servers.push(api.server);
    const { lines } = await choose({ AWS_LAMBDA_RUNTIME_API: api.address, AWS_LAMBDA_MAX_CONCURRENCY: '8' });
    expect(lines).toEqual([expect.stringContaining('DEBUG export mode: batch')]);
    expect(api.registrations).toEqual([]);
  });

  it('batch asked for outside managed instances: registers for no event, so that SIGTERM comes before the kill', async () => {
    const api = await runtimeApi(200);
    servers.push(api.server);
    const { lines } = await choose({ AWS_LAMBDA_RUNTIME_API: api.address, LAMBDA_OTEL_EXPORT_MODE: 'batch' });
    expect(lines).toEqual([expect.stringContaining('DEBUG export mode: batch')]);
    expect(api.registrations).toEqual(['lambda-otel-preload']);
    expect(api.bodies).toEqual(['{"events":[]}']);
  });

  it('sync asked for: no registration', async () => {
    const api = await runtimeApi(200);
    servers.push(api.server);
    const { lines } = await choose({ AWS_LAMBDA_RUNTIME_API: api.address, LAMBDA_OTEL_EXPORT_MODE: 'sync' });
    expect(lines).toEqual([expect.stringContaining('DEBUG export mode: sync')]);
    expect(api.registrations).toEqual([]);
  });
});

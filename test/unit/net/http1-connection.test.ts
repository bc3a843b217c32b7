import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Http1Connection } from '../../../src/net/http1-connection';
import { proxyFor, type HttpProxy } from '../../../src/net/proxy';
import { LoopbackProxy } from '../../helpers/sandbox/http-proxy';
import { testCertificates } from '../../helpers/tls-certs';

/** A TCP server that answers each request (head and body received) with `answer(requestText, socket)`. */
async function server(answer: (request: string, socket: Socket) => void): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const srv = createServer((socket) => {
    connections++;
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(pending.slice(0, headEnd))?.[1] ?? 0);
      if (pending.length < headEnd + 4 + length) return;
      const request = pending.slice(0, headEnd + 4 + length);
      pending = pending.slice(request.length);
      answer(request, socket);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { server: srv, port: (srv.address() as AddressInfo).port, connections: () => connections };
}

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

async function connectionTo(answer: (request: string, socket: Socket) => void) {
  const s = await server(answer);
  servers.push(s.server);
  return { ...s, connection: new Http1Connection({ host: '127.0.0.1', port: s.port, tls: false }) };
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('Http1Connection', () => {
  it('writes one well-formed request and reuses the connection for the next', async () => {
    const requests: string[] = [];
    const { connection, connections, port } = await connectionTo((request, socket) => {
      requests.push(request);
      socket.write(OK);
    });
    const first = await connection.request({ method: 'POST', path: '/v1/traces', headers: { 'Content-Type': 'application/x-protobuf' }, body: Buffer.from('abc') });
    const second = await connection.request({ method: 'GET', path: '/next', headers: {} });
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(first.ok && first.response.body.toString()).toBe('ok');
    expect(requests).toEqual([
      `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-protobuf\r\nContent-Length: 3\r\n\r\nabc`,
      `GET /next HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
    ]);
    expect(connections()).toBe(1);
    connection.close();
  });

  it('opens a new connection after the server said it closes this one', async () => {
    const { connection, connections } = await connectionTo((_request, socket) => socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'));
    expect((await connection.request({ method: 'GET', path: '/', headers: {} })).ok).toBe(true);
    expect((await connection.request({ method: 'GET', path: '/', headers: {} })).ok).toBe(true);
    expect(connections()).toBe(2);
  });

  it('calls a failure on a kept-alive connection before any answer byte stale, and recovers on the next request', async () => {
    let served = 0;
    const { connection, connections } = await connectionTo((_request, socket) => {
      served++;
      if (served === 2) socket.resetAndDestroy();
      else socket.write(OK);
    });
    expect((await connection.request({ method: 'GET', path: '/', headers: {} })).ok).toBe(true);
    expect(await connection.request({ method: 'GET', path: '/', headers: {} })).toMatchObject({ ok: false, staleSocket: true });
    expect((await connection.request({ method: 'GET', path: '/', headers: {} })).ok).toBe(true);
    expect(connections()).toBe(2);
    connection.close();
  });

  it('does not call a first request on a new connection stale', async () => {
    const { connection } = await connectionTo((_request, socket) => socket.resetAndDestroy());
    expect(await connection.request({ method: 'GET', path: '/', headers: {} })).toMatchObject({ ok: false, staleSocket: false });
  });

  it('gives up after the timeout and drops the connection', async () => {
    const { connection, connections } = await connectionTo((request, socket) => {
      if (!request.startsWith('GET /slow')) socket.write(OK);
    });
    const started = Date.now();
    expect(await connection.request({ method: 'GET', path: '/slow', headers: {}, timeoutMs: 100 })).toMatchObject({ ok: false, reason: 'no answer within 100 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await connection.request({ method: 'GET', path: '/fast', headers: {} })).ok).toBe(true);
    expect(connections()).toBe(2);
    connection.close();
  });

  it('fails a malformed answer without throwing', async () => {
    const { connection } = await connectionTo((_request, socket) => socket.write('garbage\r\n\r\n'));
    expect(await connection.request({ method: 'GET', path: '/', headers: {} })).toMatchObject({ ok: false, staleSocket: false });
  });

  it('refuses a second request while one is in flight', async () => {
    const { connection } = await connectionTo(() => undefined);
    const pending = connection.request({ method: 'GET', path: '/', headers: {} });
    expect(await connection.request({ method: 'GET', path: '/', headers: {} })).toMatchObject({ ok: false, reason: 'a request is already in flight' });
    connection.close();
    expect(await pending).toMatchObject({ ok: false, reason: 'connection closed' });
  });

  it('reports a refused connection', async () => {
    const connection = new Http1Connection({ host: '127.0.0.1', port: 9, tls: false });
    expect(await connection.request({ method: 'GET', path: '/', headers: {} })).toEqual({ ok: false, kind: 'connect', reason: 'ECONNREFUSED', staleSocket: false });
  });

  it('reports the status of an answer cut short', async () => {
    const { connection } = await connectionTo((_request, socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok'));
    expect(await connection.request({ method: 'POST', path: '/', headers: {}, body: Buffer.from('x') })).toMatchObject({
      ok: false,
      kind: 'closed',
      status: 200,
      staleSocket: false,
    });
  });

  it('names the timeout it was given, and that no status came', async () => {
    const { connection } = await connectionTo(() => undefined);
    expect(await connection.request({ method: 'GET', path: '/', headers: {}, timeoutMs: 30 })).toEqual({
      ok: false,
      kind: 'timeout',
      reason: 'no answer within 30 ms',
      staleSocket: false,
      status: undefined,
    });
  });
});

/** A TLS server with a certificate for localhost that this process does not trust; records the SNI names it was sent. */
async function untrustedTlsServer(): Promise<{ port: number; servernames: (string | undefined)[] }> {
  const servernames: (string | undefined)[] = [];
  const { key, cert } = testCertificates().untrusted;
  const srv = createTlsServer({
    key,
    cert,
    SNICallback: (servername, callback) => {
      servernames.push(servername);
      callback(null);
    },
  });
  srv.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  servers.push(srv);
  return { port: (srv.address() as AddressInfo).port, servernames };
}

describe('Http1Connection over TLS', () => {
  it('verifies the certificate, sends the host as SNI, and calls a refused certificate a TLS failure', async () => {
    const { port, servernames } = await untrustedTlsServer();
    const result = await new Http1Connection({ host: 'localhost', port, tls: true }).request({ method: 'GET', path: '/', headers: {} });
    expect(result).toMatchObject({ ok: false, kind: 'tls', staleSocket: false });
    expect(!result.ok && result.reason).toBe(
      'TLS handshake failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate; a private CA is trusted through NODE_EXTRA_CA_CERTS',
    );
    expect(servernames).toEqual(['localhost']);
  });

  it('sends no SNI to an IP address (RFC 6066), and still checks the certificate', async () => {
    const { port, servernames } = await untrustedTlsServer();
    const result = await new Http1Connection({ host: '127.0.0.1', port, tls: true }).request({ method: 'GET', path: '/', headers: {} });
    expect(result).toMatchObject({ ok: false, kind: 'tls' });
    expect(servernames).toEqual([]);
  });
});

describe('Http1Connection through an HTTP proxy', () => {
  const proxies: LoopbackProxy[] = [];
  afterAll(() => Promise.all(proxies.map((p) => p.close())));
  async function loopbackProxy(): Promise<LoopbackProxy> {
    const proxy = await LoopbackProxy.start();
    proxies.push(proxy);
    return proxy;
  }
  const via = (proxyUrl: string, target: string): HttpProxy => {
    const choice = proxyFor(new URL(target), proxyUrl, undefined);
    if (!('proxy' in choice) || choice.proxy === undefined) throw new Error('no proxy');
    return choice.proxy;
  };

  it('sends plain HTTP in absolute-form, with the proxy credentials, on one kept-alive connection', async () => {
    const proxy = await loopbackProxy();
    const requests: string[] = [];
    const { port } = await connectionTo((request, socket) => {
      requests.push(request);
      socket.write(OK);
    });
    const target = `http://127.0.0.1:${port}`;
    const connection = new Http1Connection({ host: '127.0.0.1', port, tls: false, proxy: via(`http://me:pw@127.0.0.1:${proxy.port}`, target) });
    for (let n = 0; n < 2; n++) {
      const result = await connection.request({ method: 'POST', path: '/v1/traces', headers: {}, body: Buffer.from('abc') });
      expect(result.ok && result.response.body.toString()).toBe('ok');
    }
    expect(proxy.requests()).toEqual([
      { method: 'POST', target: `${target}/v1/traces`, proxyAuthorization: `Basic ${Buffer.from('me:pw').toString('base64')}` },
      { method: 'POST', target: `${target}/v1/traces`, proxyAuthorization: `Basic ${Buffer.from('me:pw').toString('base64')}` },
    ]);
    // The proxy passed it on in origin-form, as a direct request would be.
    expect(requests[0]).toMatch(/^POST \/v1\/traces HTTP\/1\.1\r\n/);
    connection.close();
  });

  it('opens a CONNECT tunnel for TLS and runs the handshake, SNI included, inside it', async () => {
    const proxy = await loopbackProxy();
    const { port, servernames } = await untrustedTlsServer();
    const connection = new Http1Connection({ host: 'localhost', port, tls: true, proxy: via(proxy.url, `https://localhost:${port}`) });
    const result = await connection.request({ method: 'POST', path: '/v1/traces', headers: {}, body: Buffer.from('abc'), timeoutMs: 2000 });
    // This process does not trust the test CA (the sandbox tests pass it with NODE_EXTRA_CA_CERTS).
    expect(result).toMatchObject({ ok: false, kind: 'tls' });
    expect(proxy.requests()).toEqual([{ method: 'CONNECT', target: `localhost:${port}`, proxyAuthorization: undefined }]);
    expect(servernames).toEqual(['localhost']);
  });

  it('reports a proxy that refuses the tunnel, or is not there, as a connection failure', async () => {
    const proxy = await loopbackProxy();
    proxy.refuseWith = 407;
    const refused = new Http1Connection({ host: 'localhost', port: 443, tls: true, proxy: via(proxy.url, 'https://localhost') });
    expect(await refused.request({ method: 'GET', path: '/', headers: {}, timeoutMs: 2000 })).toEqual({
      ok: false,
      kind: 'connect',
      reason: `proxy ${proxy.url} refused the tunnel (HTTP 407)`,
      staleSocket: false,
    });
    const absent = new Http1Connection({ host: 'localhost', port: 443, tls: true, proxy: via('http://127.0.0.1:9', 'https://localhost') });
    expect(await absent.request({ method: 'GET', path: '/', headers: {}, timeoutMs: 2000 })).toEqual({
      ok: false,
      kind: 'connect',
      reason: 'ECONNREFUSED (proxy http://127.0.0.1:9)',
      staleSocket: false,
    });
  });

  it('bounds the tunnel by the request timeout', async () => {
    // A "proxy" that accepts the connection and never answers the CONNECT.
    const silent = await server(() => undefined);
    servers.push(silent.server);
    const connection = new Http1Connection({ host: 'localhost', port: 443, tls: true, proxy: via(`http://127.0.0.1:${silent.port}`, 'https://localhost') });
    const started = performance.now();
    expect(await connection.request({ method: 'GET', path: '/', headers: {}, timeoutMs: 100 })).toMatchObject({ ok: false, kind: 'timeout', reason: 'no answer within 100 ms' });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

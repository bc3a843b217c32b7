import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Http1Connection } from '../../../src/net/http1-connection';

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
    expect(await connection.request({ method: 'GET', path: '/', headers: {} })).toEqual({ ok: false, reason: 'ECONNREFUSED', staleSocket: false });
  });
});

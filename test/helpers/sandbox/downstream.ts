import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { tempDir } from '../temp-dir';
import { closeServer, listenOnLoopback } from './loopback';

/** What a downstream service saw of one request. */
export interface DownstreamRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface TlsFiles {
  /** PEM paths: the certificate is self-signed, so it is also the CA to trust (NODE_EXTRA_CA_CERTS). */
  readonly certPath: string;
  readonly keyPath: string;
}

/**
 * A self-signed certificate for 127.0.0.1, made with the machine's openssl at test time, so no
 * key material lives in the repository.
 */
export function makeSelfSignedCert(): TlsFiles {
  const dir = tempDir('downstream-tls-');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  return { certPath, keyPath };
}

/**
 * A loopback HTTP or HTTPS service a function calls: answers every request with `status` and
 * records what arrived, so a test can read the trace context the caller propagated.
 */
export class Downstream {
  private log: DownstreamRequest[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly protocol: 'http' | 'https',
    readonly status: number,
  ) {}

  static async start(options: { status: number; tls?: TlsFiles }): Promise<Downstream> {
    const tls = options.tls;
    const server: Server =
      tls === undefined ? createHttpServer() : createHttpsServer({ cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) });
    const downstream = new Downstream(server, await listenOnLoopback(server), tls === undefined ? 'http' : 'https', options.status);
    server.on('request', (req, res) => downstream.handle(req, res));
    return downstream;
  }

  /** `http://127.0.0.1:<port>` or `https://…`, plus `path`. */
  url(path = '/'): string {
    return `${this.protocol}://127.0.0.1:${this.port}${path}`;
  }

  requests(): DownstreamRequest[] {
    return [...this.log];
  }

  reset(): void {
    this.log = [];
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    req.on('end', () => {
      this.log.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
      // `/hang…` is never answered (until close()): a call the function is still waiting for.
      if (req.url?.startsWith('/hang')) return;
      const body = `answered ${req.method ?? ''} ${req.url ?? ''}`;
      res.writeHead(this.status, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(body)) });
      res.end(body);
    });
  }
}

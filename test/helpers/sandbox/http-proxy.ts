import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { closeServer, listenOnLoopback } from './loopback';

export interface ProxiedRequest {
  /** `CONNECT`, or the method of a request forwarded in absolute-form. */
  readonly method: string;
  /** `host:port` of a CONNECT, or the absolute URL of a forwarded request. */
  readonly target: string;
  readonly proxyAuthorization: string | undefined;
}

/**
 * A forward proxy on 127.0.0.1, as a corporate or VPC egress proxy behaves: CONNECT tunnels
 * (for https) and absolute-form requests (for http), each recorded.
 */
export class LoopbackProxy {
  private readonly log: ProxiedRequest[] = [];
  private readonly sockets = new Set<Duplex>();
  /** When set, every CONNECT and request is answered with this status instead. */
  refuseWith: number | undefined;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<LoopbackProxy> {
    const server = createServer();
    const proxy = new LoopbackProxy(server, await listenOnLoopback(server));
    server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => proxy.tunnel(req, client, head));
    server.on('request', (req, res) => {
      proxy.record(req);
      if (proxy.refuseWith !== undefined) return res.writeHead(proxy.refuseWith).end();
      const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers, agent: false }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  requests(): ProxiedRequest[] {
    return [...this.log];
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await closeServer(this.server);
  }

  private record(req: IncomingMessage): void {
    const auth = req.headers['proxy-authorization'];
    this.log.push({ method: req.method ?? '', target: req.url ?? '', proxyAuthorization: Array.isArray(auth) ? auth[0] : auth });
  }

  private tunnel(req: IncomingMessage, client: Duplex, head: Buffer): void {
    this.record(req);
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    if (this.refuseWith !== undefined) {
      client.end(`HTTP/1.1 ${this.refuseWith} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = splitAuthority(req.url ?? '');
    const upstream: Socket = connect({ host, port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.sockets.add(upstream);
    upstream.on('close', () => (this.sockets.delete(upstream), client.destroy()));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  }
}

function splitAuthority(authority: string): [string, number] {
  const colon = authority.lastIndexOf(':');
  return [authority.slice(0, colon).replace(/^\[|\]$/g, ''), Number(authority.slice(colon + 1))];
}

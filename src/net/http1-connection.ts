import { connect as connectTcp, isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { lookupWithoutThreadPool } from './lookup';
import { openTunnel, type HttpProxy } from './proxy';
import { MalformedResponse, ResponseParser, type HttpResponse } from './response-parser';

/**
 * One kept-alive HTTP/1.1 connection, one request at a time: the layer's own traffic (the
 * Extensions API long poll and the OTLP export, once per invocation each). Written on a bare
 * socket rather than node:http because every invocation pays for it: a request through node:http
 * cost twice the CPU of the same bytes on a socket (ClientRequest, IncomingMessage, the agent).
 * It also goes through no require hook and no HTTP instrumentation, so the layer's traffic can
 * never be traced or make an instrumentation load.
 */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** `Name: value` pairs; Host and Content-Length are added here. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** The connection is destroyed when no complete response came in time; none: wait for ever. */
  readonly timeoutMs?: number;
  /**
   * Whether the pending request keeps the event loop alive (default). A long poll must not: the
   * 3.x runtime answers callback handlers only once the loop is empty.
   */
  readonly holdsEventLoop?: boolean;
}

/**
 * Why a request failed, for callers that decide whether to try again:
 * - `connect`: no connection (refused, unreachable, a name that does not resolve, a proxy that
 *   refused the tunnel); the server never saw the request.
 * - `tls`: the TLS handshake failed (an untrusted certificate, one for another name); the server
 *   never saw the request.
 * - `timeout`: no complete answer in time.
 * - `closed`: the connection broke or ended before the answer was complete.
 * - `malformed`: the answer was not HTTP/1.x as RFC 9112 has it.
 * - `busy`: another request is in flight on this connection.
 */
export type HttpFailureKind = 'connect' | 'tls' | 'timeout' | 'closed' | 'malformed' | 'busy';

export interface HttpFailure {
  readonly ok: false;
  readonly kind: HttpFailureKind;
  readonly reason: string;
  /** A kept-alive connection failed before any byte of the answer: it was dead already. */
  readonly staleSocket: boolean;
  /** The status line of an answer that was cut short, when it had arrived. */
  readonly status?: number;
}

export type HttpResult = { readonly ok: true; readonly response: HttpResponse } | HttpFailure;

export interface Http1ConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** An HTTP proxy in between: a CONNECT tunnel for TLS, absolute-form requests otherwise. */
  readonly proxy?: HttpProxy;
}

interface InFlight {
  /** The socket it was written to: events of a socket dropped since must not touch a later request. */
  readonly socket: Socket;
  readonly parser: ResponseParser;
  readonly reused: boolean;
  readonly finish: (result: HttpResult) => void;
}

type Tls = Pick<typeof import('node:tls'), 'connect'>;
/** How far the current socket got: a failure while `connecting` is `connect`, during the `handshake` `tls`. */
type Phase = 'connecting' | 'handshake' | 'open';

export class Http1Connection {
  private socket: Socket | undefined;
  private phase: Phase = 'connecting';
  /** A tunnel through the proxy is being opened: the connection is busy. */
  private opening = false;
  /** Requests the current socket completed: a failure on a used socket may mean it went stale. */
  private served = 0;
  private inFlight: InFlight | undefined;
  /**
   * The last TLS session the server offered, handed to the next connection: a resumed handshake
   * skips the certificate chain and its verification, which is most of a handshake's CPU.
   */
  private tlsSession: Buffer | undefined;
  private readonly hostHeader: string;
  private readonly target: string;

  constructor(private readonly options: Http1ConnectionOptions) {
    const defaultPort = options.tls ? 443 : 80;
    const host = bracketed(options.host);
    this.hostHeader = options.port === defaultPort ? host : `${host}:${options.port}`;
    // Through a proxy, plain HTTP requests name their whole URL (RFC 9112, absolute-form).
    this.target = options.proxy !== undefined && !options.tls ? `http://${this.hostHeader}` : '';
  }

  request(request: HttpRequest): Promise<HttpResult> {
    if (this.inFlight !== undefined || this.opening) return Promise.resolve(BUSY);
    const { proxy } = this.options;
    if (this.socket === undefined && proxy !== undefined && this.options.tls) return this.tunnelThenSend(proxy, request);
    return this.send(request, request.timeoutMs);
  }

  /** Closes the connection; a request in flight fails. */
  close(): void {
    this.inFlight?.finish({ ok: false, kind: 'closed', reason: 'connection closed', staleSocket: false });
    if (this.socket !== undefined) this.drop(this.socket);
  }

  /**
   * TLS through a proxy: the tunnel must be open before the handshake starts, so the connection
   * is opened ahead of the request, within the request's time.
   */
  private async tunnelThenSend(proxy: HttpProxy, request: HttpRequest): Promise<HttpResult> {
    const started = performance.now();
    this.opening = true;
    const failure = await this.openTunnelled(proxy, request.timeoutMs);
    this.opening = false;
    if (failure !== undefined) return failure;
    const { timeoutMs } = request;
    return this.send(request, timeoutMs === undefined ? undefined : Math.max(1, Math.floor(timeoutMs - (performance.now() - started))));
  }

  private send(request: HttpRequest, timeoutMs: number | undefined): Promise<HttpResult> {
    return new Promise((resolve) => {
      const socket = this.socket ?? this.connect();
      const parser = new ResponseParser();
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: HttpResult): void => {
        if (this.inFlight?.finish !== finish) return;
        this.inFlight = undefined;
        if (timer !== undefined) clearTimeout(timer);
        if (result.ok && !result.response.closes) {
          this.served++;
          socket.unref();
        } else {
          this.drop(socket);
        }
        resolve(result);
      };
      this.inFlight = { socket, parser, reused: this.served > 0, finish };
      if (timeoutMs !== undefined) {
        // The verdict waits for the event loop's poll phase: a request can span a freeze (an
        // export left to finish in the background), and at the thaw the expired timer runs
        // before the answer that arrived meanwhile is read from the socket.
        timer = setTimeout(() => {
          setImmediate(() => {
            const reason = `no answer within ${request.timeoutMs} ms`;
            finish({ ok: false, kind: 'timeout', reason, staleSocket: false, status: parser.status });
          });
        }, timeoutMs);
        timer.unref();
      }
      if (request.holdsEventLoop === false) socket.unref();
      else socket.ref();
      socket.write(this.serialise(request));
    });
  }

  private serialise({ method, path, headers, body }: HttpRequest): Buffer {
    let head = `${method} ${this.target}${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\n`;
    if (this.target !== '' && this.options.proxy?.authorization !== undefined) head += `Proxy-Authorization: ${this.options.proxy.authorization}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (body !== undefined) head += `Content-Length: ${body.byteLength}\r\n`;
    head += '\r\n';
    // One buffer, one write: every write is a syscall, and the peer wakes for each.
    const headBytes = Buffer.from(head, 'latin1');
    return body === undefined || body.byteLength === 0 ? headBytes : Buffer.concat([headBytes, body]);
  }

  /** A new connection, directly or to the HTTP proxy; the request can be written to it at once. */
  private connect(): Socket {
    const { host, port, tls, proxy } = this.options;
    const socket = tls ? this.startTls({ host, port }) : connectTcp({ ...(proxy ?? { host, port }), lookup: lookupWithoutThreadPool });
    socket.setNoDelay(true);
    this.adopt(socket, 'connecting');
    socket.once('connect', () => {
      if (this.socket === socket && this.phase === 'connecting') this.phase = tls ? 'handshake' : 'open';
    });
    return socket;
  }

  /** TLS to the server, over `socket` (a proxy's tunnel) or a connection of its own. */
  private startTls(over: { socket: Socket } | { host: string; port: number }): TLSSocket {
    const { host } = this.options;
    // node:tls only for an https endpoint: it is large, and the runtime does not load it.
    const socket = (require('node:tls') as Tls).connect({
      ...over,
      // The certificate is checked against this name (Node's default checkServerIdentity), which
      // is also sent as SNI when it is a name: RFC 6066 allows no IP addresses there.
      host,
      servername: isIP(host) === 0 ? host : undefined,
      ALPNProtocols: ['http/1.1'],
      session: this.tlsSession,
      lookup: lookupWithoutThreadPool,
    });
    socket.on('session', (session: Buffer) => (this.tlsSession = session));
    socket.once('secureConnect', () => {
      if (this.socket === socket) this.phase = 'open';
    });
    return socket;
  }

  private openTunnelled(proxy: HttpProxy, timeoutMs: number | undefined): Promise<HttpFailure | undefined> {
    return new Promise((resolve) => {
      const tcp = connectTcp({ host: proxy.host, port: proxy.port, lookup: lookupWithoutThreadPool });
      tcp.setNoDelay(true);
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const done = (failure: HttpFailure | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        tcp.off('error', onError);
        if (failure === undefined) this.adopt(this.startTls({ socket: tcp }), 'handshake');
        else tcp.destroy();
        resolve(failure);
      };
      const onError = (error: NodeJS.ErrnoException): void => done(connectFailure(`${error.code ?? error.message} (proxy ${proxy.display})`));
      tcp.on('error', onError);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => done({ ok: false, kind: 'timeout', reason: `no answer within ${timeoutMs} ms`, staleSocket: false }), timeoutMs);
        timer.unref();
      }
      tcp.once('connect', () => {
        openTunnel(tcp, `${bracketed(this.options.host)}:${this.options.port}`, proxy).then(
          () => done(undefined),
          (error: Error) => done(connectFailure(error.message)),
        );
      });
    });
  }

  /** Makes `socket` the connection: answers go to the request in flight on it, failures fail it. */
  private adopt(socket: Socket, phase: Phase): void {
    const { proxy } = this.options;
    const ownInFlight = (): InFlight | undefined => (this.inFlight?.socket === socket ? this.inFlight : undefined);
    socket.on('data', (chunk: Buffer) => {
      const inFlight = ownInFlight();
      if (inFlight === undefined) {
        this.drop(socket); // an answer nobody asked for: the connection is out of step
        return;
      }
      let response: HttpResponse | undefined;
      try {
        response = inFlight.parser.push(chunk);
      } catch (error) {
        this.failOn(socket, 'malformed', error instanceof MalformedResponse ? error.message : String(error));
        return;
      }
      if (response !== undefined) inFlight.finish({ ok: true, response });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const kind = this.phase === 'connecting' ? 'connect' : this.phase === 'handshake' ? 'tls' : 'closed';
      this.failOn(socket, kind, describe(error, kind, proxy));
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      const inFlight = ownInFlight();
      const response = inFlight?.parser.end();
      if (response !== undefined) inFlight?.finish({ ok: true, response });
      else this.failOn(socket, 'closed', 'connection closed before the answer ended');
    });
    this.socket = socket;
    this.phase = phase;
    this.served = 0;
  }

  private failOn(socket: Socket, kind: HttpFailureKind, reason: string): void {
    const inFlight = this.inFlight?.socket === socket ? this.inFlight : undefined;
    if (inFlight === undefined) return;
    const { parser } = inFlight;
    inFlight.finish({ ok: false, kind, reason, staleSocket: inFlight.reused && !parser.started, status: parser.status });
  }

  private drop(socket: Socket): void {
    if (this.socket === socket) this.socket = undefined;
    socket.destroy();
  }
}

const BUSY: HttpFailure = { ok: false, kind: 'busy', reason: 'a request is already in flight', staleSocket: false };

function connectFailure(reason: string): HttpFailure {
  return { ok: false, kind: 'connect', reason, staleSocket: false };
}

function bracketed(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Certificate errors that a CA unknown to Node causes (OpenSSL's verify codes). */
const UNKNOWN_ISSUER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** The error's code; for a failed handshake also OpenSSL's words, and the fix when it is ours to name. */
function describe(error: NodeJS.ErrnoException, kind: HttpFailureKind, proxy: HttpProxy | undefined): string {
  const code = error.code ?? error.message;
  if (kind === 'tls') {
    // "...:SSL routines:ssl3_get_record:wrong version number:../deps/...": keep the words. Node 24
    // adds a hint about --use-system-ca, which Lambda has no use for.
    const words = (/routines:[^:]*:([^:]+)/.exec(error.message)?.[1] ?? error.message).replace(/; if the root CA is installed locally.*$/, '');
    const hint = UNKNOWN_ISSUER.has(code) ? '; a private CA is trusted through NODE_EXTRA_CA_CERTS' : '';
    return `TLS handshake failed: ${code}: ${words}${hint}`;
  }
  return kind === 'connect' && proxy !== undefined ? `${code} (proxy ${proxy.display})` : code;
}

import { connect as connectTcp, isIP, type Socket } from 'node:net';
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

export type HttpResult =
  | { readonly ok: true; readonly response: HttpResponse }
  | {
      readonly ok: false;
      readonly reason: string;
      /** A kept-alive connection failed before any byte of the answer: it was dead already. */
      readonly staleSocket: boolean;
    };

export interface Http1ConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

interface InFlight {
  /** The socket it was written to: events of a socket dropped since must not touch a later request. */
  readonly socket: Socket;
  readonly parser: ResponseParser;
  readonly reused: boolean;
  readonly finish: (result: HttpResult) => void;
}

type Tls = Pick<typeof import('node:tls'), 'connect'>;

export class Http1Connection {
  private socket: Socket | undefined;
  /** Requests the current socket completed: a failure on a used socket may mean it went stale. */
  private served = 0;
  private inFlight: InFlight | undefined;
  private readonly hostHeader: string;

  constructor(private readonly options: Http1ConnectionOptions) {
    const defaultPort = options.tls ? 443 : 80;
    const host = isIP(options.host) === 6 ? `[${options.host}]` : options.host;
    this.hostHeader = options.port === defaultPort ? host : `${host}:${options.port}`;
  }

  request(request: HttpRequest): Promise<HttpResult> {
    if (this.inFlight !== undefined) return Promise.resolve({ ok: false, reason: 'a request is already in flight', staleSocket: false });
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
      if (request.timeoutMs !== undefined) {
        timer = setTimeout(() => finish({ ok: false, reason: `no answer within ${request.timeoutMs} ms`, staleSocket: false }), request.timeoutMs);
        timer.unref();
      }
      if (request.holdsEventLoop === false) socket.unref();
      else socket.ref();
      socket.write(this.serialise(request));
    });
  }

  /** Closes the connection; a request in flight fails. */
  close(): void {
    this.inFlight?.finish({ ok: false, reason: 'connection closed', staleSocket: false });
    if (this.socket !== undefined) this.drop(this.socket);
  }

  private serialise({ method, path, headers, body }: HttpRequest): Buffer {
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (body !== undefined) head += `Content-Length: ${body.byteLength}\r\n`;
    head += '\r\n';
    // One buffer, one write: every write is a syscall, and the peer wakes for each.
    const headBytes = Buffer.from(head, 'latin1');
    return body === undefined || body.byteLength === 0 ? headBytes : Buffer.concat([headBytes, body]);
  }

  private connect(): Socket {
    const { host, port, tls } = this.options;
    // node:tls only for an https endpoint: it is large, and the runtime does not load it.
    const socket = tls
      ? (require('node:tls') as Tls).connect({ host, port, servername: isIP(host) === 0 ? host : undefined, ALPNProtocols: ['http/1.1'] })
      : connectTcp({ host, port });
    socket.setNoDelay(true);
    const ownInFlight = (): InFlight | undefined => (this.inFlight?.socket === socket ? this.inFlight : undefined);
    const fail = (reason: string): void => {
      const inFlight = ownInFlight();
      inFlight?.finish({ ok: false, reason, staleSocket: inFlight.reused && !inFlight.parser.started });
    };
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
        fail(error instanceof MalformedResponse ? error.message : String(error));
        return;
      }
      if (response !== undefined) inFlight.finish({ ok: true, response });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      const inFlight = ownInFlight();
      const response = inFlight?.parser.end();
      if (response !== undefined) inFlight?.finish({ ok: true, response });
      else fail('connection closed before the answer ended');
    });
    this.socket = socket;
    this.served = 0;
    return socket;
  }

  private drop(socket: Socket): void {
    if (this.socket === socket) this.socket = undefined;
    socket.destroy();
  }
}

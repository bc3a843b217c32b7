import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { gunzipSync, inflateSync } from 'node:zlib';
import { nowMs } from './clock';
import { decodeTraceRequest, type ReceivedSpan } from './otlp-decode';
import { closeServer, listenOnLoopback } from './loopback';

export type { ReceivedSpan } from './otlp-decode';

/** How the receiver answers one request. */
export interface ReceiverAnswer {
  /** Answer only after this many ms. */
  readonly delayMs?: number;
  /** HTTP status to answer (default 200). Spans are recorded only when it is 2xx. */
  readonly status?: number;
  /** `Retry-After` header value to answer with. */
  readonly retryAfter?: string;
  /** Answer with an OTLP status (JSON) carrying this message, as a backend explains a refusal. */
  readonly message?: string;
  /** Never answer (the request stays open until close()). Spans are not recorded. */
  readonly hang?: boolean;
  /** Send the head and part of the body, then close the connection (spans recorded when the status is 2xx). */
  readonly cutShort?: boolean;
  /** Close the connection without a byte of answer (spans not recorded, as by a backend that crashed). */
  readonly reset?: boolean;
}

/** How the receiver answers; settable at any time with setBehaviour(). */
export interface ReceiverBehaviour extends ReceiverAnswer {
  /** Per request, counted from 0 at setBehaviour() (or start): overrides the fields above. */
  readonly answers?: (index: number) => ReceiverAnswer;
}

/** A certificate and its key, PEM; the receiver then speaks https. */
export interface ReceiverTls {
  readonly key: string;
  readonly cert: string;
}

export interface ReceiverOptions {
  readonly tls?: ReceiverTls;
  /** Which decoded spans `spans()` and `waitForSpans()` see (all by default); `requests()` still counts every span. */
  readonly keep?: (span: ReceivedSpan) => boolean;
}

export interface ReceivedRequest {
  readonly path: string;
  /** When the body had fully arrived (nowMs() clock, the same as Sandbox timings). */
  readonly receivedAt: number;
  /** When the request headers arrived. */
  readonly startedAt: number;
  readonly headers: IncomingHttpHeaders;
  readonly contentType: string;
  readonly contentEncoding: string;
  readonly bodyBytes: number;
  readonly spanCount: number;
  /** `service.name` of the spans' resources, once each. */
  readonly services: string[];
  /** Whether its spans were recorded (2xx and not hanging). */
  readonly accepted: boolean;
  /** A body that could not be decoded. */
  readonly error?: string;
  /** Over https: the SNI name the client sent (false: none), and whether it resumed an earlier TLS session. */
  readonly tls?: { readonly servername: string | false; readonly sessionReused: boolean };
}

/**
 * An OTLP/HTTP trace receiver on 127.0.0.1: POST /v1/traces with application/x-protobuf or
 * application/json, optionally gzip-encoded, decoded with the opentelemetry-proto schema.
 */
export class OtlpReceiver {
  private behaviour: ReceiverBehaviour = {};
  /** Requests since the behaviour was set: the index `answers` gets. */
  private answered = 0;
  private received: ReceivedSpan[] = [];
  private log: ReceivedRequest[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly secure: boolean,
    private readonly keep: (span: ReceivedSpan) => boolean,
  ) {}

  /** With `tls`, an https receiver whose URL names `localhost` (the certificate must be for it). */
  static async start(behaviour: ReceiverBehaviour = {}, { tls, keep }: ReceiverOptions = {}): Promise<OtlpReceiver> {
    // An https.Server is an http.Server on TLS sockets.
    const server = tls === undefined ? createServer() : (createTlsServer({ key: tls.key, cert: tls.cert }) as unknown as Server);
    const receiver = new OtlpReceiver(server, await listenOnLoopback(server), tls !== undefined, keep ?? (() => true));
    receiver.behaviour = behaviour;
    server.on('request', (req, res) => receiver.handle(req, res));
    return receiver;
  }

  /** Base URL, e.g. http://127.0.0.1:1234 or https://localhost:1234 (for OTEL_EXPORTER_OTLP_ENDPOINT). */
  get url(): string {
    return this.secure ? `https://localhost:${this.port}` : `http://127.0.0.1:${this.port}`;
  }

  /** Full traces URL (for OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
  get tracesUrl(): string {
    return `${this.url}/v1/traces`;
  }

  setBehaviour(behaviour: ReceiverBehaviour): void {
    this.behaviour = behaviour;
    this.answered = 0;
  }

  spans(): ReceivedSpan[] {
    return [...this.received];
  }

  requests(): ReceivedRequest[] {
    return [...this.log];
  }

  /** Forgets spans and requests (not the behaviour). */
  reset(): void {
    this.received = [];
    this.log = [];
  }

  /** Resolves with all spans once at least `count` arrived; rejects after timeoutMs. */
  waitForSpans(count: number, timeoutMs = 5000): Promise<ReceivedSpan[]> {
    return this.waitFor(() => this.received.length >= count, timeoutMs, () => `${count} spans (got ${this.received.length})`).then(() =>
      this.spans(),
    );
  }

  /** Resolves once at least `count` requests arrived (accepted or not). */
  waitForRequests(count: number, timeoutMs = 5000): Promise<ReceivedRequest[]> {
    return this.waitFor(() => this.log.length >= count, timeoutMs, () => `${count} requests (got ${this.log.length})`).then(() =>
      this.requests(),
    );
  }

  /**
   * Drops kept-alive connections as a backend's idle timeout would. Done while the function is
   * frozen, it leaves the exporter holding a socket that is dead when the function thaws.
   */
  dropIdleConnections(): void {
    this.server.closeIdleConnections();
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await closeServer(this.server);
  }

  private waitFor(predicate: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`OTLP receiver: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const startedAt = nowMs();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const receivedAt = nowMs();
      const { answers, ...base } = this.behaviour;
      const behaviour: ReceiverAnswer = { ...base, ...answers?.(this.answered++) };
      const body = Buffer.concat(chunks);
      const contentType = (headerString(req.headers['content-type']) ?? '').split(';')[0].trim().toLowerCase();
      const contentEncoding = (headerString(req.headers['content-encoding']) ?? '').trim().toLowerCase();
      const path = (req.url ?? '').split('?')[0];
      const status = behaviour.status ?? 200;
      const accepted = !behaviour.hang && !behaviour.reset && status >= 200 && status < 300;
      let spans: ReceivedSpan[] = [];
      let error: string | undefined;
      if (req.method !== 'POST') {
        error = `method ${req.method ?? ''} not allowed`;
      } else if (path === '/v1/traces') {
        try {
          spans = decodeTraceRequest(decompress(body, contentEncoding), contentType);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
      }
      const socket = req.socket as Partial<TLSSocket>;
      this.log.push({
        path,
        receivedAt,
        startedAt,
        headers: req.headers,
        contentType,
        contentEncoding,
        bodyBytes: body.length,
        spanCount: spans.length,
        services: [...new Set(spans.map((span) => String(span.resource['service.name'])))],
        accepted: accepted && error === undefined,
        error,
        tls: this.secure ? { servername: socket.servername ?? false, sessionReused: socket.isSessionReused?.() ?? false } : undefined,
      });
      if (accepted && error === undefined) this.received.push(...spans.filter(this.keep));
      for (const listener of [...this.listeners]) listener();

      if (error !== undefined) return answer(res, 400, contentType, error);
      if (behaviour.hang) {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      const reply = (): void => {
        if (behaviour.reset) req.socket.destroy();
        else if (behaviour.cutShort) cutShort(res, status);
        else answer(res, status, contentType, behaviour.message, behaviour.retryAfter);
      };
      if (behaviour.delayMs !== undefined && behaviour.delayMs > 0) setTimeout(reply, behaviour.delayMs);
      else reply();
    });
  }
}

function headerString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function decompress(body: Buffer, encoding: string): Buffer {
  if (encoding === '' || encoding === 'identity') return body;
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  throw new Error(`unsupported Content-Encoding ${encoding}`);
}

/** The head and 2 of the 10 body bytes it announces, then the connection closes. */
function cutShort(res: ServerResponse, status: number): void {
  res.socket?.end(`HTTP/1.1 ${status} OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 10\r\n\r\n\0\0`);
}

function answer(res: ServerResponse, status: number, contentType: string, error: string | undefined, retryAfter?: string): void {
  if (res.destroyed || res.headersSent) return;
  // An empty ExportTraceServiceResponse: zero bytes in protobuf, {} in JSON.
  const json = contentType === 'application/json';
  const body = error !== undefined ? JSON.stringify({ code: 3, message: error }) : json ? '{}' : '';
  res.writeHead(status, {
    'Content-Type': error !== undefined || json ? 'application/json' : 'application/x-protobuf',
    'Content-Length': String(Buffer.byteLength(body)),
    ...(retryAfter === undefined ? {} : { 'Retry-After': retryAfter }),
  });
  res.end(body);
}

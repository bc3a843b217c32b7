import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { nowMs } from './clock';
import { closeServer, listenOnLoopback } from './loopback';

/**
 * The Lambda Runtime API and Extensions API, on one HTTP server on 127.0.0.1, as Lambda serves
 * them to the runtime process. It knows nothing about processes: the Sandbox drives it
 * (`beginGeneration`, `dispatch`) and watches its state (`onChange`).
 */

const RUNTIME = '/2018-06-01/runtime';
const EXTENSION = '/2020-01-01/extension';
const MAX_EXTENSIONS = 10;

/** One invocation as the platform hands it out. */
export interface Invocation {
  readonly requestId: string;
  readonly event: Buffer;
  /** Epoch ms, as in Lambda-Runtime-Deadline-Ms. */
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  /** X-Ray format: Root=1-...;Parent=...;Sampled=1 */
  readonly traceId?: string;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
  readonly tenantId?: string;
}

/** What the runtime POSTed for an invocation. */
export type RuntimeOutcome =
  | {
      readonly kind: 'response';
      readonly requestId: string;
      readonly body: Buffer;
      readonly streamed: boolean;
      readonly headers: IncomingHttpHeaders;
      /** HTTP trailers of a streamed response (Lambda-Runtime-Function-Error-Type / -Error-Body). */
      readonly trailers: Record<string, string>;
      /** When the request headers arrived (the first byte, for a stream). */
      readonly firstByteAt: number;
      /** When the body (or stream) ended. */
      readonly at: number;
    }
  | {
      readonly kind: 'error';
      readonly requestId: string;
      readonly body: Buffer;
      readonly headers: IncomingHttpHeaders;
      readonly firstByteAt: number;
      readonly at: number;
    };

export interface ErrorBody {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
}

export interface InitErrorRecord extends ErrorBody {
  readonly generation: number;
  readonly at: number;
  readonly errorTypeHeader: string | undefined;
  /** The POSTed body as text. */
  readonly body: string;
}

export interface ExtensionRecord {
  readonly id: string;
  readonly name: string;
  readonly events: string[];
  readonly generation: number;
  readonly registeredAt: number;
}

export interface ExtensionErrorRecord {
  readonly kind: 'init' | 'exit';
  readonly extensionId: string | undefined;
  readonly errorType: string | undefined;
  readonly body: string;
  readonly at: number;
}

/** The answer to a registration attempt, also kept for refused ones. */
export interface RegistrationAttempt {
  readonly name: string | undefined;
  readonly status: number;
  readonly errorType: string | undefined;
  readonly at: number;
}

export interface FunctionInfo {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly handler: string;
}

export interface RuntimeApiOptions extends FunctionInfo {
  /**
   * Lambda Managed Instances: many `/next` may be pending at once (one per runtime worker), and
   * internal extensions may register only without events.
   */
  readonly multiConcurrency?: boolean;
}

interface ExtensionState extends ExtensionRecord {
  waiting: ServerResponse | undefined;
  queue: Invocation[];
}

export class RuntimeApi {
  /** Bumped by beginGeneration(): one generation per runtime process. */
  generation = 0;
  /** The runtime's /next calls in this generation. */
  runtimeNextCount = 0;
  firstNextAt: number | undefined;
  readonly initErrors: InitErrorRecord[] = [];
  readonly extensionErrors: ExtensionErrorRecord[] = [];
  readonly registrationAttempts: RegistrationAttempt[] = [];
  /** Response/error POSTs whose connection broke before the body ended. */
  readonly abortedPosts: { requestId: string; what: 'response' | 'error'; body: Buffer; at: number }[] = [];
  /** Requests the server did not understand, for debugging. */
  readonly unknownRequests: string[] = [];

  /** Pending runtime /next requests: at most one, except in multi-concurrency mode. */
  private runtimeWaiting: ServerResponse[] = [];
  private runtimeQueue: Invocation[] = [];
  private extensionsById = new Map<string, ExtensionState>();
  private readonly outcomes = new Map<string, RuntimeOutcome>();
  private readonly listeners = new Set<() => void>();
  private info: FunctionInfo;
  readonly multiConcurrency: boolean;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    { multiConcurrency, ...info }: RuntimeApiOptions,
  ) {
    this.info = info;
    this.multiConcurrency = multiConcurrency ?? false;
  }

  static async start(options: RuntimeApiOptions): Promise<RuntimeApi> {
    const server = createServer();
    const api = new RuntimeApi(server, await listenOnLoopback(server), options);
    server.on('request', (req, res) => api.handle(req, res));
    return api;
  }

  /** Value of AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts a new runtime process' view: registration open, no extensions, nothing pending. */
  beginGeneration(info?: FunctionInfo): void {
    if (info) this.info = info;
    this.generation += 1;
    this.runtimeNextCount = 0;
    this.firstNextAt = undefined;
    for (const res of this.runtimeWaiting) this.endPending(res);
    this.runtimeWaiting = [];
    this.runtimeQueue = [];
    for (const ext of this.extensionsById.values()) this.endPending(ext.waiting);
    this.extensionsById = new Map();
    this.changed();
  }

  /** Extensions registered by the current runtime process. */
  get extensions(): ExtensionRecord[] {
    return [...this.extensionsById.values()].map(({ id, name, events, generation, registeredAt }) => ({
      id,
      name,
      events,
      generation,
      registeredAt,
    }));
  }

  /** The runtime has a pending GET /next. */
  get runtimeIsWaiting(): boolean {
    return this.runtimeWaiting.length > 0;
  }

  /** How many GET /next are pending (one per idle worker in multi-concurrency mode). */
  get runtimeWaitingCount(): number {
    return this.runtimeWaiting.length;
  }

  /** Every INVOKE-subscribed extension has a pending GET event/next. */
  get extensionsAreWaiting(): boolean {
    for (const ext of this.extensionsById.values()) {
      if (ext.events.includes('INVOKE') && (ext.waiting === undefined || ext.queue.length > 0)) return false;
    }
    return true;
  }

  outcome(requestId: string): RuntimeOutcome | undefined {
    return this.outcomes.get(requestId);
  }

  /** Hands an invocation to the runtime and to every INVOKE-subscribed extension. */
  dispatch(invocation: Invocation): void {
    this.runtimeQueue.push(invocation);
    while (this.runtimeQueue.length > 0 && this.runtimeWaiting.length > 0) this.flushRuntime();
    for (const ext of this.extensionsById.values()) {
      if (!ext.events.includes('INVOKE')) continue;
      ext.queue.push(invocation);
      this.flushExtension(ext);
    }
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once `predicate()` holds (checked on every state change), or rejects after timeoutMs. */
  until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const off = this.onChange(() => {
        if (!predicate()) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  /** Wakes up the waiters of `until`, e.g. after a process exit the Sandbox noticed. */
  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  async close(): Promise<void> {
    for (const res of this.runtimeWaiting) this.endPending(res);
    this.runtimeWaiting = [];
    for (const ext of this.extensionsById.values()) this.endPending(ext.waiting);
    await closeServer(this.server);
  }

  // ---- request handling ------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const method = req.method ?? 'GET';
    const generation = this.generation;
    if (method === 'GET' && url === `${RUNTIME}/invocation/next`) return this.runtimeNext(res);
    const invocationMatch = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (method === 'POST' && invocationMatch) {
      return this.invocationPost(decodeURIComponent(invocationMatch[1]), invocationMatch[2] as 'response' | 'error', req, res);
    }
    if (method === 'POST' && url === `${RUNTIME}/init/error`) {
      return void readBody(req).then((body) => {
        const parsed = parseErrorBody(body);
        this.initErrors.push({
          ...parsed,
          generation,
          at: nowMs(),
          errorTypeHeader: headerValue(req.headers, 'lambda-runtime-function-error-type'),
          body: body.toString('utf8'),
        });
        sendJson(res, 202, { status: 'OK' });
        this.changed();
      });
    }
    if (method === 'POST' && url === `${EXTENSION}/register`) return this.register(req, res);
    if (method === 'GET' && url === `${EXTENSION}/event/next`) return this.extensionNext(req, res);
    if (method === 'POST' && (url === `${EXTENSION}/init/error` || url === `${EXTENSION}/exit/error`)) {
      return void readBody(req).then((body) => {
        const id = headerValue(req.headers, 'lambda-extension-identifier');
        if (id === undefined || !this.extensionsById.has(id)) {
          sendJson(res, 403, { errorType: 'Extension.UnknownExtensionIdentifier', errorMessage: 'unknown extension' });
          return;
        }
        this.extensionErrors.push({
          kind: url.endsWith('/init/error') ? 'init' : 'exit',
          extensionId: id,
          errorType: headerValue(req.headers, 'lambda-extension-function-error-type'),
          body: body.toString('utf8'),
          at: nowMs(),
        });
        sendJson(res, 202, { status: 'OK' });
        this.changed();
      });
    }
    this.unknownRequests.push(`${method} ${url}`);
    void readBody(req).then(() => sendJson(res, 404, { errorType: 'NotFound', errorMessage: `${method} ${url}` }));
  }

  private runtimeNext(res: ServerResponse): void {
    this.runtimeNextCount += 1;
    if (this.firstNextAt === undefined) this.firstNextAt = nowMs();
    if (this.runtimeWaiting.length > 0 && !this.multiConcurrency) {
      sendJson(res, 400, { errorType: 'InvalidStateTransition', errorMessage: 'a /next is already pending' });
      return;
    }
    this.runtimeWaiting.push(res);
    // The response's own close event: a keep-alive socket outlives many long polls.
    res.once('close', () => {
      const at = this.runtimeWaiting.indexOf(res);
      if (at >= 0) {
        this.runtimeWaiting.splice(at, 1);
        this.changed();
      }
    });
    this.flushRuntime();
    this.changed();
  }

  private flushRuntime(): void {
    const res = this.runtimeWaiting[0];
    const invocation = this.runtimeQueue[0];
    if (res === undefined || invocation === undefined) return;
    this.runtimeQueue.shift();
    this.runtimeWaiting.shift();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
      'Lambda-Runtime-Deadline-Ms': String(invocation.deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': invocation.invokedFunctionArn,
    };
    if (invocation.traceId !== undefined) headers['Lambda-Runtime-Trace-Id'] = invocation.traceId;
    if (invocation.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = invocation.clientContext;
    if (invocation.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = invocation.cognitoIdentity;
    if (invocation.tenantId !== undefined) headers['Lambda-Runtime-Aws-Tenant-Id'] = invocation.tenantId;
    res.writeHead(200, { ...headers, 'Content-Length': String(invocation.event.length) });
    res.end(invocation.event);
  }

  private invocationPost(requestId: string, what: 'response' | 'error', req: IncomingMessage, res: ServerResponse): void {
    const firstByteAt = nowMs();
    const streamed = what === 'response' && headerValue(req.headers, 'lambda-runtime-function-response-mode') === 'streaming';
    void readBody(req).then((body) => {
      const at = nowMs();
      if (!req.complete) {
        // The process died mid-POST (e.g. a crash in the middle of a stream): no result.
        this.abortedPosts.push({ requestId, what, body, at });
        this.changed();
        return;
      }
      if (this.outcomes.has(requestId)) {
        sendJson(res, 400, { errorType: 'InvalidStateTransition', errorMessage: `${requestId} already has a result` });
        return;
      }
      const outcome: RuntimeOutcome =
        what === 'response'
          ? { kind: 'response', requestId, body, streamed, headers: req.headers, trailers: trailersOf(req), firstByteAt, at }
          : { kind: 'error', requestId, body, headers: req.headers, firstByteAt, at };
      this.outcomes.set(requestId, outcome);
      sendJson(res, 202, { status: 'OK' });
      this.changed();
    });
  }

  private register(req: IncomingMessage, res: ServerResponse): void {
    void readBody(req).then((body) => {
      const name = headerValue(req.headers, 'lambda-extension-name');
      const refuse = (status: number, errorType: string, errorMessage: string): void => {
        this.registrationAttempts.push({ name, status, errorType, at: nowMs() });
        sendJson(res, status, { errorType, errorMessage });
        this.changed();
      };
      if (name === undefined || name === '') return refuse(400, 'InvalidRequest', 'missing Lambda-Extension-Name');
      if (this.runtimeNextCount > 0) return refuse(403, 'Extension.RegistrationClosed', 'registration is closed');
      let events: string[];
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
        const raw = typeof parsed === 'object' && parsed !== null ? (parsed as { events?: unknown }).events : undefined;
        events = Array.isArray(raw) ? raw.map(String) : [];
      } catch {
        return refuse(400, 'InvalidRequest', 'body is not JSON');
      }
      // There is no /opt/extensions here: every extension is internal. Internal ones get INVOKE
      // only, and on Lambda Managed Instances no event at all.
      const invalid = events.find((e) => e !== 'INVOKE' || this.multiConcurrency);
      if (invalid !== undefined) {
        return refuse(400, 'Extension.InvalidEventType', `internal extensions cannot subscribe to ${invalid}`);
      }
      if (this.extensionsById.size >= MAX_EXTENSIONS) return refuse(400, 'Extension.TooManyExtensions', 'at most 10 extensions');
      if ([...this.extensionsById.values()].some((e) => e.name === name)) {
        return refuse(409, 'Extension.AlreadyRegistered', `${name} is already registered`);
      }
      const id = randomUUID();
      this.extensionsById.set(id, {
        id,
        name,
        events,
        generation: this.generation,
        registeredAt: nowMs(),
        waiting: undefined,
        queue: [],
      });
      this.registrationAttempts.push({ name, status: 200, errorType: undefined, at: nowMs() });
      const answer = JSON.stringify(this.info);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(answer)),
        'Lambda-Extension-Identifier': id,
      });
      res.end(answer);
      this.changed();
    });
  }

  private extensionNext(req: IncomingMessage, res: ServerResponse): void {
    const id = headerValue(req.headers, 'lambda-extension-identifier');
    const ext = id === undefined ? undefined : this.extensionsById.get(id);
    if (ext === undefined) {
      sendJson(res, 403, { errorType: 'Extension.UnknownExtensionIdentifier', errorMessage: 'unknown extension identifier' });
      return;
    }
    if (ext.waiting !== undefined) {
      sendJson(res, 400, { errorType: 'InvalidStateTransition', errorMessage: 'an event/next is already pending' });
      return;
    }
    ext.waiting = res;
    // The response's own close event: a keep-alive socket outlives many long polls.
    res.once('close', () => {
      if (ext.waiting === res) {
        ext.waiting = undefined;
        this.changed();
      }
    });
    this.flushExtension(ext);
    this.changed();
  }

  private flushExtension(ext: ExtensionState): void {
    const res = ext.waiting;
    const invocation = ext.queue[0];
    if (res === undefined || invocation === undefined) return;
    ext.queue.shift();
    ext.waiting = undefined;
    const body = JSON.stringify({
      eventType: 'INVOKE',
      deadlineMs: invocation.deadlineMs,
      requestId: invocation.requestId,
      invokedFunctionArn: invocation.invokedFunctionArn,
      tracing: invocation.traceId === undefined ? undefined : { type: 'X-Amzn-Trace-Id', value: invocation.traceId },
    });
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'Lambda-Extension-Event-Identifier': randomUUID(),
    });
    res.end(body);
  }

  private endPending(res: ServerResponse | undefined): void {
    if (res !== undefined && !res.writableEnded) res.destroy();
  }
}

// ---- helpers -----------------------------------------------------------------------------

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // A killed process leaves a half request: keep what arrived.
    req.on('aborted', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

function trailersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.trailers)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** Reads {errorType, errorMessage, trace} from a body the runtime posted; tolerant of junk. */
export function parseErrorBody(body: Buffer | string): ErrorBody {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const o = parsed as Record<string, unknown>;
      return {
        errorType: typeof o.errorType === 'string' ? o.errorType : '',
        errorMessage: typeof o.errorMessage === 'string' ? o.errorMessage : '',
        trace: Array.isArray(o.trace) ? o.trace.map(String) : [],
      };
    }
  } catch {
    // fall through
  }
  return { errorType: '', errorMessage: text, trace: [] };
}

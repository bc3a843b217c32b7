import type { Agent, IncomingMessage } from 'node:http';
import type { SendResult } from './sink';
import type { HttpModule } from './unhooked-builtin';

export interface PostRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  readonly timeoutMs: number;
}


const STALE_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

interface Client {
  readonly http: HttpModule;
  readonly agent: Agent;
}

/**
 * One HTTP POST with a hard timeout, on a keep-alive connection reused across invocations.
 * `node:http`/`node:https` are loaded on the first send, not at start-up.
 */
export class HttpTransport {
  private client: Client | undefined;

  constructor(private readonly loadHttp: (protocol: string) => HttpModule) {}

  /**
   * A keep-alive socket can die while the environment is frozen (the backend closes idle
   * connections); the first write after the thaw then fails. Such a failure on a reused socket
   * gets one retry on a fresh one, inside the same timeout.
   */
  async post(request: PostRequest): Promise<SendResult> {
    const started = Date.now();
    const first = await this.attempt(request);
    if (first.ok || !first.staleSocket) return first;
    const left = request.timeoutMs - (Date.now() - started);
    return left > 0 ? this.attempt({ ...request, timeoutMs: left }) : first;
  }

  private attempt(request: PostRequest): Promise<SendResult & { staleSocket?: boolean }> {
    this.client ??= this.openClient(request.url);
    const { http, agent } = this.client;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: SendResult & { staleSocket?: boolean }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = http.request(
        request.url,
        {
          method: 'POST',
          agent,
          headers: { ...request.headers, 'Content-Length': String(request.body.byteLength) },
        },
        (res: IncomingMessage) => {
          res.on('error', (error) => finish({ ok: false, reason: error.message }));
          res.on('data', () => {});
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            finish(status >= 200 && status < 300 ? { ok: true } : { ok: false, reason: `HTTP ${status}` });
          });
        },
      );
      const timer = setTimeout(() => {
        finish({ ok: false, reason: `no answer within ${request.timeoutMs} ms` });
        req.destroy();
      }, request.timeoutMs);
      timer.unref();
      req.on('error', (error: NodeJS.ErrnoException) =>
        finish({
          ok: false,
          reason: error.code ?? error.message,
          staleSocket: req.reusedSocket && STALE_SOCKET_ERRORS.has(error.code ?? ''),
        }),
      );
      req.end(request.body);
    });
  }

  private openClient(url: URL): Client {
    const http = this.loadHttp(url.protocol);
    return { http, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
  }
}

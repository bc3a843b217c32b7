import { Http1Connection } from '../net/http1-connection';
import type { SendResult } from './sink';

export interface PostRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  readonly timeoutMs: number;
}

/**
 * POSTs to one OTLP/HTTP URL with a hard timeout, on a keep-alive connection reused across
 * invocations (see net/http1-connection.ts for why it is not node:http).
 */
export class HttpTransport {
  private readonly connection: Http1Connection;
  private readonly path: string;

  constructor(url: URL) {
    const tls = url.protocol === 'https:';
    this.connection = new Http1Connection({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port) || (tls ? 443 : 80),
      tls,
    });
    this.path = `${url.pathname}${url.search}`;
  }

  /**
   * A keep-alive socket can die while the environment is frozen (the backend closes idle
   * connections); the first write after the thaw then fails. Such a failure on a reused socket
   * gets one retry on a fresh one, inside the same timeout.
   */
  async post(request: PostRequest): Promise<SendResult> {
    const started = Date.now();
    const first = await this.attempt(request, request.timeoutMs);
    if (first.ok || !first.staleSocket) return first;
    const left = request.timeoutMs - (Date.now() - started);
    return left > 0 ? this.attempt(request, left) : first;
  }

  private async attempt(request: PostRequest, timeoutMs: number): Promise<SendResult & { staleSocket?: boolean }> {
    const result = await this.connection.request({ method: 'POST', path: this.path, headers: request.headers, body: request.body, timeoutMs });
    if (!result.ok) return result;
    const { status } = result.response;
    return status >= 200 && status < 300 ? { ok: true } : { ok: false, reason: `HTTP ${status}` };
  }
}

import { Http1Connection, type HttpResult } from '../net/http1-connection';
import type { HttpProxy } from '../net/proxy';
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry';
import type { Deadline, SendResult } from './sink';

export interface PostRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** The body's size before compression, reported back with a failure: what keeping it costs. */
  readonly serialisedBytes: number;
  readonly deadline: Deadline;
  /** The longest one attempt may take (OTEL_EXPORTER_OTLP_TIMEOUT); the deadline may cut it shorter. */
  readonly attemptTimeoutMs: number;
}

type Attempt =
  | { readonly delivered: true }
  | {
      readonly delivered: false;
      readonly reason: string;
      readonly retryable: boolean;
      readonly uncertain: boolean;
      readonly timedOut: boolean;
      readonly retryAfterMs?: number;
      /** A kept-alive socket that was dead already: try again at once on a fresh one. */
      readonly stale: boolean;
    };

/** An attempt with less time than this left would only add a request the backend cannot answer. */
const MIN_ATTEMPT_MS = 20;
const MAX_REASON_BODY = 200;

/**
 * POSTs to one OTLP/HTTP URL within a deadline, on a keep-alive connection reused across
 * invocations (see net/http1-connection.ts for why it is not node:http). Retryable failures
 * (see retry.ts) are tried again after a back-off, or after the backend's `Retry-After`, as long
 * as the deadline leaves time for another attempt.
 */
export class HttpTransport {
  private readonly connection: Http1Connection;
  private readonly path: string;

  constructor(url: URL, proxy?: HttpProxy) {
    const tls = url.protocol === 'https:';
    this.connection = new Http1Connection({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port) || (tls ? 443 : 80),
      tls,
      proxy,
    });
    this.path = `${url.pathname}${url.search}`;
  }

  async post(request: PostRequest): Promise<SendResult> {
    const { deadline } = request;
    let attempts = 0;
    let stale = false;
    for (;;) {
      attempts++;
      const left = deadline.at - performance.now();
      // Whole milliseconds: timers are grouped by duration, and a fractional one starts a group of its own.
      const timeoutMs = Math.max(1, Math.floor(Math.min(left, request.attemptTimeoutMs)));
      const result = await this.connection.request({ method: 'POST', path: this.path, headers: request.headers, body: request.body, timeoutMs });
      // A timeout names the export's bound when that is what ran out, else one attempt's limit.
      const attempt = classify(result, left <= request.attemptTimeoutMs ? deadline.ms : request.attemptTimeoutMs);
      if (attempt.delivered) return DELIVERED;
      // A keep-alive socket can die while the environment is frozen (the backend closes idle
      // connections); the first write after the thaw then fails. Once, at once, on a fresh one.
      if (attempt.stale && !stale && deadline.at - performance.now() > MIN_ATTEMPT_MS) {
        stale = true;
        attempts--;
        continue;
      }
      const { reason, retryable, uncertain, timedOut, retryAfterMs } = attempt;
      const failure = { ok: false as const, reason, retryable, uncertain, timedOut, retryAfterMs, attempts, bytes: request.serialisedBytes };
      if (!retryable) return failure;
      const wait = Math.round(retryAfterMs ?? retryDelayMs(attempts));
      if (deadline.at - performance.now() - wait < MIN_ATTEMPT_MS) return failure;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

const DELIVERED: SendResult = { ok: true };
const DELIVERED_ATTEMPT: Attempt = { delivered: true };

function classify(result: HttpResult, limitMs: number): Attempt {
  if (result.ok) {
    const { status, headers, body } = result.response;
    if (status >= 200 && status < 300) return DELIVERED_ATTEMPT;
    const retryable = isRetryableStatus(status);
    const retryAfterMs = retryable ? parseRetryAfter(headers.get('retry-after'), Date.now()) : undefined;
    // A refusal's body says why (OTLP answers a google.rpc.Status); keep it when it is text.
    const text = retryable ? '' : printable(body);
    return { delivered: false, reason: `HTTP ${status}${text}`, retryable, uncertain: false, timedOut: false, retryAfterMs, stale: false };
  }
  // An answer cut short after its status line: the status counts (a 200 means the spans arrived).
  if (result.status !== undefined && result.status >= 200 && result.status < 300) return DELIVERED_ATTEMPT;
  if (result.status !== undefined) {
    return { delivered: false, reason: `HTTP ${result.status}`, retryable: isRetryableStatus(result.status), uncertain: false, timedOut: false, stale: false };
  }
  const timedOut = result.kind === 'timeout';
  return {
    delivered: false,
    reason: timedOut ? `no answer within ${limitMs} ms` : result.reason,
    // A certificate is refused the same way every time; so is everything after `busy` (a bug).
    retryable: result.kind !== 'tls' && result.kind !== 'busy',
    // Before the connection stood, the backend cannot have seen the request; nor on a socket that was dead already.
    uncertain: !result.staleSocket && (result.kind === 'timeout' || result.kind === 'closed' || result.kind === 'malformed'),
    timedOut,
    stale: result.staleSocket,
  };
}

function printable(body: Buffer): string {
  if (body.length === 0) return '';
  const text = body.subarray(0, MAX_REASON_BODY).toString('utf8');
  return /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(text) && !text.includes('\ufffd') ? `: ${text.replace(/\s+/g, ' ').trim()}` : '';
}

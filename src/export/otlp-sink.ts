import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { gzipSync } from 'node:zlib';
import type { OtlpConfig } from '../config/load';
import { proxyFor } from '../net/proxy';
import { postBlocking } from './blocking-post';
import { Spill } from './spill';
import type { Deadline, SendResult, SpanSink } from './sink';
import { HttpTransport } from './transport';

/**
 * Our own export must never become a span of the function's trace, whatever else is hooked. One
 * context for every export: a new one per flush would be garbage that outlives young-generation
 * collections (see propagation/root-context.ts).
 */
const UNTRACED = suppressTracing(ROOT_CONTEXT);

const CONTENT_TYPE = { 'http/protobuf': 'application/x-protobuf', 'http/json': 'application/json' } as const;

/** OTLP/HTTP: serialises with the official OpenTelemetry transformer, posts with our transport. */
export class OtlpHttpSink implements SpanSink {
  private readonly headers: Record<string, string>;
  /** Or why there is none: a proxy variable that cannot be used. */
  private readonly transport: HttpTransport | string;
  private readonly spill = new Spill();
  /** Whether what an earlier process kept on disk was sent (or tried) yet. */
  private recovered = false;

  constructor(private readonly config: OtlpConfig) {
    const url = new URL(config.url);
    const https = url.protocol === 'https:';
    const { httpsProxy, httpProxy, noProxy } = config.proxy;
    const choice = proxyFor(url, https ? httpsProxy : httpProxy, noProxy);
    this.transport = 'invalid' in choice ? `${https ? 'https_proxy' : 'http_proxy'}: ${choice.invalid}` : new HttpTransport(url, choice.proxy);
    this.headers = { ...config.headers, 'Content-Type': CONTENT_TYPE[config.protocol] };
    if (config.compression === 'gzip') this.headers['Content-Encoding'] = 'gzip';
  }

  send(spans: ReadableSpan[], deadline: Deadline, keepOnDisk = false): Promise<SendResult> {
    const transport = this.transport;
    if (typeof transport === 'string') return Promise.resolve({ ok: false, reason: transport, retryable: false });
    const body = this.serialize(spans);
    if (typeof body === 'string') return Promise.resolve({ ok: false, reason: body, retryable: false });
    if (this.recovered && !keepOnDisk) {
      const request = { headers: this.headers, ...body, deadline, attemptTimeoutMs: this.config.timeoutMs };
      return context.with(UNTRACED, () => transport.post(request));
    }
    return context.with(UNTRACED, () => this.sendKeeping(transport, body, deadline, keepOnDisk));
  }

  /** The first send of a process (what an earlier one kept on disk, dying, goes first), or one that keeps its body on disk. */
  private async sendKeeping(
    transport: HttpTransport,
    body: { body: Uint8Array; serialisedBytes: number },
    deadline: Deadline,
    keepOnDisk: boolean,
  ): Promise<SendResult> {
    if (!this.recovered) {
      this.recovered = true;
      await this.sendSpilled(transport, deadline);
    }
    const kept = keepOnDisk ? this.spill.keep(body.body) : undefined;
    const result = await transport.post({ headers: this.headers, ...body, deadline, attemptTimeoutMs: this.config.timeoutMs });
    return this.settleKept(kept, result);
  }

  /** One attempt, straight to the endpoint (no proxy): the process is dying; the body waits on disk meanwhile. */
  sendBlocking(spans: ReadableSpan[], timeoutMs: number): SendResult {
    const body = this.serialize(spans);
    if (typeof body === 'string') return { ok: false, reason: body, retryable: false };
    const kept = this.spill.keep(body.body);
    return this.settleKept(kept, postBlocking(this.config.url, this.headers, body.body, Math.min(timeoutMs, this.config.timeoutMs)));
  }

  /** A body kept on disk is forgotten once the backend took it (or never will); otherwise it waits there. */
  private settleKept(path: string | undefined, result: SendResult): SendResult {
    if (path === undefined) return result;
    if (result.ok || !result.retryable) {
      this.spill.forget(path);
      return result;
    }
    return { ...result, keptOnDisk: true };
  }

  private async sendSpilled(transport: HttpTransport, deadline: Deadline): Promise<void> {
    for (const { path, body } of this.spill.waiting()) {
      const result = await transport.post({ headers: this.headers, body, serialisedBytes: body.byteLength, deadline, attemptTimeoutMs: this.config.timeoutMs });
      if (!result.ok && result.retryable) return;
      this.spill.forget(path);
    }
  }

  /** The request body and its size before compression, or why there is none. */
  private serialize(spans: ReadableSpan[]): { body: Uint8Array; serialisedBytes: number } | string {
    let body: Uint8Array | undefined;
    try {
      const serializer = this.config.protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;
      body = serializer.serializeRequest(spans);
    } catch (error) {
      return `could not serialise spans: ${String(error)}`;
    }
    if (body === undefined) return 'could not serialise spans';
    return { body: this.config.compression === 'gzip' ? gzipSync(body) : body, serialisedBytes: body.byteLength };
  }
}

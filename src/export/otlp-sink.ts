import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { gzipSync } from 'node:zlib';
import type { OtlpConfig } from '../config/load';
import { proxyFor } from '../net/proxy';
import { postBlocking } from './blocking-post';
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

  constructor(private readonly config: OtlpConfig) {
    const url = new URL(config.url);
    const https = url.protocol === 'https:';
    const { httpsProxy, httpProxy, noProxy } = config.proxy;
    const choice = proxyFor(url, https ? httpsProxy : httpProxy, noProxy);
    this.transport = 'invalid' in choice ? `${https ? 'https_proxy' : 'http_proxy'}: ${choice.invalid}` : new HttpTransport(url, choice.proxy);
    this.headers = { ...config.headers, 'Content-Type': CONTENT_TYPE[config.protocol] };
    if (config.compression === 'gzip') this.headers['Content-Encoding'] = 'gzip';
  }

  send(spans: ReadableSpan[], deadline: Deadline): Promise<SendResult> {
    const transport = this.transport;
    if (typeof transport === 'string') return Promise.resolve({ ok: false, reason: transport, retryable: false });
    const body = this.serialize(spans);
    if (typeof body === 'string') return Promise.resolve({ ok: false, reason: body, retryable: false });
    const request = { headers: this.headers, ...body, deadline, attemptTimeoutMs: this.config.timeoutMs };
    return context.with(UNTRACED, () => transport.post(request));
  }

  /** One attempt, straight to the endpoint (no proxy): the process is dying, nothing is kept. */
  sendBlocking(spans: ReadableSpan[], timeoutMs: number): SendResult {
    const body = this.serialize(spans);
    if (typeof body === 'string') return { ok: false, reason: body, retryable: false };
    return postBlocking(this.config.url, this.headers, body.body, Math.min(timeoutMs, this.config.timeoutMs));
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

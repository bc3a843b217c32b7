import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { gzipSync } from 'node:zlib';
import type { OtlpConfig } from '../config/load';
import { postBlocking } from './blocking-post';
import type { SendResult, SpanSink } from './sink';
import { HttpTransport } from './transport';

const CONTENT_TYPE = { 'http/protobuf': 'application/x-protobuf', 'http/json': 'application/json' } as const;

/** OTLP/HTTP: serialises with the official OpenTelemetry transformer, posts with our transport. */
export class OtlpHttpSink implements SpanSink {
  private readonly headers: Record<string, string>;
  private readonly transport: HttpTransport;

  constructor(private readonly config: OtlpConfig) {
    this.transport = new HttpTransport(new URL(config.url));
    this.headers = { ...config.headers, 'Content-Type': CONTENT_TYPE[config.protocol] };
    if (config.compression === 'gzip') this.headers['Content-Encoding'] = 'gzip';
  }

  send(spans: ReadableSpan[], timeoutMs: number): Promise<SendResult> {
    const body = this.serialize(spans);
    if (typeof body === 'string') return Promise.resolve({ ok: false, reason: body });
    const request = { headers: this.headers, body, timeoutMs: Math.min(timeoutMs, this.config.timeoutMs) };
    // Our own export must never become a span of the function's trace, whatever else is hooked.
    return context.with(suppressTracing(context.active()), () => this.transport.post(request));
  }

  sendBlocking(spans: ReadableSpan[], timeoutMs: number): SendResult {
    const body = this.serialize(spans);
    if (typeof body === 'string') return { ok: false, reason: body };
    return postBlocking(this.config.url, this.headers, body, Math.min(timeoutMs, this.config.timeoutMs));
  }

  /** The request body, or why there is none. */
  private serialize(spans: ReadableSpan[]): Uint8Array | string {
    let body: Uint8Array | undefined;
    try {
      const serializer = this.config.protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;
      body = serializer.serializeRequest(spans);
    } catch (error) {
      return `could not serialise spans: ${String(error)}`;
    }
    if (body === undefined) return 'could not serialise spans';
    return this.config.compression === 'gzip' ? gzipSync(body) : body;
  }
}

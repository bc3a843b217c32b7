import type { TextMapPropagator, Tracer, TracerProvider } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Config } from '../config/load';
import type { Diag } from '../diag';
import type { DroppedSpans } from '../export/dropped-spans';
import type { SpanBuffer } from '../export/span-buffer';
import { InvocationSpanProcessor } from '../invocation/span-processor';
import { secretNames } from '../privacy/secret-keys';
import { UrlRedaction } from '../privacy/url-redaction';
import { TailSampler } from '../sampling/tail-sampler';
import { AwsRequestIdAlias } from './aws-request-id';
import { createPropagator } from './propagator';
import { resourceAttributes } from './resource';
import { routeOtelDiagnostics } from './otel-diagnostics';
import { createSampler } from './sampler';

const TRACER_NAME = 'lambda-otel-preload';

export interface Tracing {
  readonly provider: TracerProvider;
  readonly tracer: Tracer;
  readonly propagator: TextMapPropagator;
  /** Set with LAMBDA_OTEL_SAMPLING=tail: the invocations hand it their spans' verdict. */
  readonly tailSampler: TailSampler | undefined;
}

/**
 * Builds the provider from Config and registers it globally, with the context manager and
 * propagator. Ended spans go to `buffer`, which the export policy drains.
 */
export function setupTracing(config: Config, diag: Diag, buffer: SpanBuffer, dropped: DroppedSpans): Tracing {
  const tailSampler = config.tailSampling === undefined ? undefined : new TailSampler(buffer, config.tailSampling, dropped);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes(resourceAttributes(config)),
    sampler: tailSampler?.sampler ?? createSampler(config.sampler),
    // Ended spans reach the buffer through their invocation: its open spans and its budget, then,
    // with tail sampling, its verdict.
    spanProcessors: [
      new UrlRedaction({ keepValues: config.captureUrlQuery, isSecret: secretNames(config.redactKeys) }),
      new AwsRequestIdAlias(),
      new InvocationSpanProcessor(tailSampler ?? buffer, config.maxSpansPerInvocation, dropped),
    ],
  });
  // Routed only now: the SDK's constructor re-reads OTEL_TRACES_SAMPLER* from the environment and
  // would report a malformed value a second time, after config/ already did.
  routeOtelDiagnostics(diag);
  const propagator = createPropagator(config.propagators);
  provider.register({ propagator });
  return { provider, tracer: provider.getTracer(TRACER_NAME), propagator, tailSampler };
}

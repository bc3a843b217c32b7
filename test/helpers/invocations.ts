import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import type { TailSamplingConfig } from '../../src/config/load';
import { createDiag } from '../../src/diag';
import { DroppedSpans } from '../../src/export/dropped-spans';
import type { EndedInvocation, ExportPolicy } from '../../src/export/policy';
import { Invocations, type InvocationsOptions } from '../../src/invocation/invocations';
import { InvocationSpanProcessor } from '../../src/invocation/span-processor';
import { TailSampler } from '../../src/sampling/tail-sampler';

/** LAMBDA_OTEL_SAMPLING=tail with its defaults, as config/ gives it. */
export const TAIL_SAMPLING_DEFAULTS: TailSamplingConfig = {
  ratio: 0.1,
  keep: ['error', 'timeout', 'crash', 'coldstart', 'slow'],
  slow: { percentile: 99 },
  unsampledParent: 'follow',
};

/**
 * Invocations in memory, for unit tests: a real provider (with the open-span tracking the layer
 * registers) into an InMemorySpanExporter, and an export policy that records what it was asked,
 * in order, as `before <id>`, `after <id>`, `now <bound>`, `blocking <bound>`. With `policyWaits`
 * the answer waits for the policy, as in sync mode. With `tailSampling`, the tail sampler sits
 * between the invocations and the exporter, as the layer sets it up.
 */
export function inMemoryInvocations({
  policyWaits = false,
  maxSpans = 1000,
  tailSampling,
  idGenerator,
  ...options
}: Partial<InvocationsOptions> & {
  policyWaits?: boolean;
  maxSpans?: number;
  tailSampling?: Partial<TailSamplingConfig>;
  idGenerator?: IdGenerator;
} = {}) {
  const exporter = new InMemorySpanExporter();
  const dropped = new DroppedSpans();
  const exported = new SimpleSpanProcessor(exporter);
  const tailSampler = tailSampling === undefined ? undefined : new TailSampler(exported, { ...TAIL_SAMPLING_DEFAULTS, ...tailSampling }, dropped);
  const provider = new BasicTracerProvider({
    sampler: tailSampler?.sampler,
    idGenerator,
    spanProcessors: [new InvocationSpanProcessor(tailSampler ?? exported, maxSpans, dropped)],
  });
  const calls: string[] = [];
  const diagLines: string[] = [];
  const policy: ExportPolicy = {
    beforeAnswer: ({ requestId }: EndedInvocation) => {
      calls.push(`before ${requestId}`);
      return policyWaits ? Promise.resolve() : undefined;
    },
    afterAnswer: ({ requestId }: EndedInvocation) => void calls.push(`after ${requestId}`),
    flushNow: async (bound) => void calls.push(`now ${bound}`),
    flushBlocking: (bound) => void calls.push(`blocking ${bound}`),
    shutdown: async () => undefined,
  };
  const invocations = new Invocations({
    tracer: provider.getTracer('test'),
    propagator: new W3CTraceContextPropagator(),
    xrayContext: 'link',
    captureUrlQuery: false,
    traceHeaderFromEnv: () => undefined,
    functionName: 'fn',
    functionVersion: '$LATEST',
    initializationType: 'on-demand',
    proactiveInitMs: 10_000,
    initEndedAt: () => undefined,
    policy,
    takeDropped: () => dropped.take(),
    flushTimeoutMs: 500,
    timeoutMarginMs: undefined,
    diag: createDiag('warn', (line) => diagLines.push(line)),
    tailSampler,
    ...options,
  });
  return { invocations, exporter, provider, calls, diagLines, dropped, tailSampler };
}

/** The AsyncLocalStorage context manager the layer registers, for the duration of a test file. */
export function useContextManager(): void {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => context.disable());
}

/** A Lambda context as the runtime passes it; `remainingMs` counts down from the call. */
export function lambdaContext(requestId: string, remainingMs = 2500) {
  const deadline = Date.now() + remainingMs;
  return {
    awsRequestId: requestId,
    functionName: 'orders',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders:live',
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

/** Resolves after `count` turns of the event loop's check phase. */
export async function immediates(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Entry point, loaded by `--import` before the runtime starts: config, tracer, export policy,
 * handler redirect.
 * Nothing here may throw or change what the function does; a failure leaves it untraced.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from './config/load';
import { createDiag, describeError } from './diag';
import { functionHandler, redirectHandler } from './handler/redirect';
import { parseHandler } from './handler/resolve';
import { chooseExportPolicy } from './export/choose';
import { DroppedSpans } from './export/dropped-spans';
import { Flusher } from './export/flusher';
import { destinationOf, sinkOpener } from './export/open-sink';
import { SpanBuffer } from './export/span-buffer';
import { InitRecorder } from './init/recorder';
import { INIT_SCOPE, initTracing } from './init/trace-init';
import { ignoredHosts } from './instrumentations/ignore';
import { loadOnFirstUse } from './instrumentations/on-first-use';
import { Invocations } from './invocation/invocations';
import { correlateConsoleLogs } from './logs/correlate';
import type { PayloadRecorder } from './payload/capture';
import { setupTracing } from './tracer/setup';

const MANAGED_INSTANCES = 'lambda-managed-instances';

async function start(): Promise<void> {
  const init = new InitRecorder();
  const warnings: string[] = [];
  const config = loadConfig(process.env, (message) => warnings.push(message));
  if (config.disabled) return;
  const diag = createDiag(config.logLevel);
  for (const warning of warnings) diag.warn(warning);
  try {
    await instrument(config, diag, init);
  } catch (error) {
    diag.error(`tracing is off for this environment: ${describeError(error)}`);
  }
}

async function instrument(config: Config, diag: ReturnType<typeof createDiag>, init: InitRecorder): Promise<void> {
  const layerDir = dirname(fileURLToPath(import.meta.url));
  const { taskRoot } = config.lambda;
  const handler = functionHandler(config.lambda.handler, config.lambda.savedHandler, layerDir);
  const ref = handler === undefined ? undefined : parseHandler(handler);
  if (ref === undefined || taskRoot === undefined) {
    // The runtime reports a missing or malformed handler itself; we keep out of its way.
    diag.debug(`handler ${JSON.stringify(handler)} left to the runtime`);
    return;
  }
  // Managed instances initialise every worker thread long before traffic, with no caller waiting:
  // no init spans there (a trace per worker would show nothing a caller paid for).
  const { initializationType } = config.lambda;
  const { spans, moduleMinMs, proactiveInitMs } = config.init;
  const traceInit = initializationType !== MANAGED_INSTANCES && spans !== 'off';
  if (traceInit && spans === 'modules') init.recordModuleLoads({ minModuleMs: moduleMinMs, layerDir });
  // Every span made and not exported is counted here, by reason, wherever it was dropped.
  const dropped = new DroppedSpans();
  const buffer = new SpanBuffer(config.maxQueueSize);
  const flusher = new Flusher(buffer, sinkOpener(config), destinationOf(config), diag, { dropped, maxKeptSpans: config.maxQueueSize });
  // Started before the tracer is set up: the extension's registration is a round trip to the
  // Runtime API, which overlaps that work. Once registered, the policy polls Lambda whatever
  // happens next, so a failure below cannot leave Lambda waiting for this extension.
  const policy = chooseExportPolicy(config, flusher, diag);
  const tracing = setupTracing(config, diag, buffer, dropped);
  const invocations = new Invocations({
    tracer: tracing.tracer,
    propagator: tracing.propagator,
    xrayContext: config.xrayContext,
    captureUrlQuery: config.captureUrlQuery,
    traceHeaderFromEnv: () => process.env._X_AMZN_TRACE_ID,
    functionName: config.lambda.functionName,
    functionVersion: config.lambda.functionVersion,
    initializationType,
    proactiveInitMs,
    initEndedAt: () => init.readyAt,
    traceInit: traceInit
      ? initTracing(init, {
          tracer: tracing.provider.getTracer(INIT_SCOPE),
          taskRoot,
          layerRoot: dirname(layerDir),
          minModuleMs: moduleMinMs,
          initializationType,
          diag,
          defer: (createSpans) => buffer.defer(createSpans),
        })
      : undefined,
    policy: await policy,
    takeDropped: () => flusher.takeDropped(),
    flushTimeoutMs: config.flushTimeoutMs,
    timeoutMarginMs: config.timeoutMarginMs,
    tailSampler: tracing.tailSampler,
    payloads: config.capturePayload ? loadPayloadRecorder(config, diag) : undefined,
    diag,
  });
  const beforeUserCode = (): void => {
    // The runtime has installed its console by now; the function has not written a line yet.
    if (config.logCorrelation) correlateConsoleLogs(diag);
    invocations.watchCrashes();
    loadOnFirstUse({
      names: config.instrumentations,
      layerDir,
      context: { tracerProvider: tracing.provider, ignoredHosts: ignoredHosts(config.otlp.url, config.lambda.runtimeApi) },
      diag,
    });
  };
  redirectHandler(process.env, layerDir, { ref, taskRoot, starter: invocations, diag, beforeUserCode, init });
  init.mark('preload-end');
}

/** Payload capture is a layer file of its own (src/payload/capture.ts): nothing of it loads while it is off. */
function loadPayloadRecorder(config: Config, diag: ReturnType<typeof createDiag>): PayloadRecorder | undefined {
  try {
    const { payloadRecorder } = require('./payload/capture') as typeof import('./payload/capture');
    return payloadRecorder({ redactKeys: config.redactKeys, diag });
  } catch (error) {
    diag.error(`payload capture is off: ${describeError(error)}`);
    return undefined;
  }
}

/** For the handler module (handler-entry.ts), which imports this preload rather than bundling a copy. */
export { loadWrappedHandler } from './handler/take-over';

// Top-level await: the runtime starts only after this resolves, which keeps the extension's
// registration inside Lambda's registration window (it closes at the runtime's first /next).
await start();

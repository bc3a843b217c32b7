/**
 * Entry point, loaded by `--import` before the runtime starts: config, tracer, export policy,
 * handler redirect.
 * Nothing here may throw or change what the function does; a failure leaves it untraced.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from './config/load';
import { createDiag, describeError } from './diag';
import { redirectHandler } from './handler/redirect';
import { parseHandler } from './handler/resolve';
import { chooseExportPolicy } from './export/choose';
import { ignoredHosts } from './instrumentations/ignore';
import { loadOnFirstUse } from './instrumentations/on-first-use';
import { InvocationTracer } from './invocation/invocation-tracer';
import { setupTracing } from './tracer/setup';

async function start(): Promise<void> {
  const warnings: string[] = [];
  const config = loadConfig(process.env, (message) => warnings.push(message));
  if (config.disabled) return;
  const diag = createDiag(config.logLevel);
  for (const warning of warnings) diag.warn(warning);
  try {
    await instrument(config, diag);
  } catch (error) {
    diag.error(`tracing is off for this environment: ${describeError(error)}`);
  }
}

async function instrument(config: Config, diag: ReturnType<typeof createDiag>): Promise<void> {
  const { handler, taskRoot } = config.lambda;
  const ref = handler === undefined ? undefined : parseHandler(handler);
  if (ref === undefined || taskRoot === undefined) {
    // The runtime reports a missing or malformed handler itself; we keep out of its way.
    diag.debug(`handler ${JSON.stringify(handler)} left to the runtime`);
    return;
  }
  const tracing = setupTracing(config, diag);
  const layerDir = dirname(fileURLToPath(import.meta.url));
  const starter = new InvocationTracer({
    tracer: tracing.tracer,
    propagator: tracing.propagator,
    xrayContext: config.xrayContext,
    captureUrlQuery: config.captureUrlQuery,
    traceHeaderFromEnv: () => process.env._X_AMZN_TRACE_ID,
    functionName: config.lambda.functionName,
    functionVersion: config.lambda.functionVersion,
    initializationType: config.lambda.initializationType,
    policy: await chooseExportPolicy(config, tracing.flusher, diag),
  });
  const beforeUserCode = (): void =>
    loadOnFirstUse({
      names: config.instrumentations,
      layerDir,
      context: { tracerProvider: tracing.provider, ignoredHosts: ignoredHosts(config.otlp.url, config.lambda.runtimeApi) },
      diag,
    });
  redirectHandler(process.env, layerDir, { ref, taskRoot, starter, diag, beforeUserCode });
}

// Top-level await: the runtime starts only after this resolves, which keeps the extension's
// registration inside Lambda's registration window (it closes at the runtime's first /next).
await start();

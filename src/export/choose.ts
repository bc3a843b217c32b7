import type { Config } from '../config/load';
import type { Diag } from '../diag';
import { ExtensionClient } from '../extension/client';
import { runInvokeLoop } from '../extension/invoke-loop';
import { afterResponsePolicy } from './after-response';
import { batchPolicy } from './batch';
import type { Flusher } from './flusher';
import { syncPolicy, type ExportPolicy } from './policy';
import { flushOnSigterm } from './shutdown';

const REGISTER_TIMEOUT_MS = 1000;

/**
 * Resolves LAMBDA_OTEL_EXPORT_MODE into a running policy. Registration must finish before the
 * runtime's first `/next`, which is why the preload awaits this at top level.
 */
export async function chooseExportPolicy(config: Config, flusher: Flusher, diag: Diag): Promise<ExportPolicy> {
  const { exportMode: wanted, flushTimeoutMs, lambda } = config;
  if (wanted === 'batch' || (wanted === 'auto' && lambda.maxConcurrency !== undefined)) {
    diag.debug('export mode: batch');
    // Managed instances initialise before any caller waits, while their shutdown window is short
    // and shared by every worker thread: load the exporter now, not in that window.
    if (lambda.maxConcurrency !== undefined) flusher.prepare();
    // Outside managed instances, only a registered extension makes Lambda send SIGTERM before the
    // kill: register one that waits for no event, for the shutdown flush.
    else if (lambda.runtimeApi !== undefined) {
      const registration = await new ExtensionClient(lambda.runtimeApi).register(REGISTER_TIMEOUT_MS, []);
      if (!registration.ok) diag.debug(`no SIGTERM before the kill: the extension could not register (${registration.reason})`);
    }
    const policy = batchPolicy(flusher, config.batchIntervalMs, config.batchSize, flushTimeoutMs);
    flushOnSigterm(policy, diag, () => flusher.totals());
    return policy;
  }
  if (wanted === 'sync') {
    diag.debug('export mode: sync');
    return syncPolicy(flusher, flushTimeoutMs);
  }
  const fallBack = (reason: string): ExportPolicy => {
    const message = `export mode: sync, because the extension could not register (${reason})`;
    if (wanted !== 'auto') diag.warn(message);
    else diag.debug(message);
    return syncPolicy(flusher, flushTimeoutMs);
  };
  if (lambda.runtimeApi === undefined) return fallBack('AWS_LAMBDA_RUNTIME_API is not set');
  const deferral = wanted === 'deferred' ? 'deferred' : wanted === 'after-response' ? 'now' : 'adaptive';
  const client = new ExtensionClient(lambda.runtimeApi);
  const started = Date.now();
  const registration = await client.register(REGISTER_TIMEOUT_MS);
  if (!registration.ok) return fallBack(registration.reason);
  const mode = { now: 'after-response', deferred: 'deferred', adaptive: 'after-response, deferred while invocations come often' }[deferral];
  diag.debug(`export mode: ${mode} (registered as an internal extension in ${Date.now() - started} ms)`);
  const policy = afterResponsePolicy(flusher, flushTimeoutMs, deferral, diag);
  runInvokeLoop(client, registration.id, policy.onInvoke, diag);
  flushOnSigterm(policy, diag, () => flusher.totals());
  return policy;
}

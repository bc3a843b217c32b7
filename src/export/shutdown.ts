import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import type { Diag } from '../diag';
import { SHUTDOWN_FLUSH_BUDGET_MS } from '../runtime/timing';
import type { ExportPolicy } from './policy';

/**
 * Once an extension is registered, Lambda sends SIGTERM shortly before it kills the process
 * (src/runtime/timing.ts). We flush within a budget well inside that and let the kill end the
 * process: calling `process.exit()` there hangs while the runtime's native thread sits in
 * `/next`. Other SIGTERM listeners (the user's) run as before, since every listener is called.
 *
 * The flush waits for the next timers phase: the user's own SIGTERM listeners (registered after
 * ours) and timers that fell due while the environment was frozen get to end their spans first.
 *
 * Signals reach the main thread only. On Lambda Managed Instances the invocations run in worker
 * threads, each with its own preload and spans, so the main thread passes the shutdown on to them
 * over a BroadcastChannel.
 */
const SHUTDOWN_CHANNEL = 'lambda-otel-preload:shutdown';

export function flushOnSigterm(policy: ExportPolicy, diag: Diag): void {
  const channel = new BroadcastChannel(SHUTDOWN_CHANNEL);
  // Neither a pending message nor the channel may keep a thread alive.
  channel.unref();
  const flush = (): void => {
    const started = Date.now();
    setTimeout(() => {
      policy.shutdown(SHUTDOWN_FLUSH_BUDGET_MS).then(
        () => diag.debug(`shutdown flush took ${Date.now() - started} ms`),
        () => undefined,
      );
    }, 0);
  };
  if (isMainThread) {
    process.once('SIGTERM', () => {
      channel.postMessage('shutdown');
      flush();
    });
  } else {
    channel.onmessage = flush;
  }
}

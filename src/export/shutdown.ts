import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import type { Diag } from '../diag';
import { SHUTDOWN_FLUSH_BUDGET_MS } from '../runtime/timing';
import { DROP_REASONS } from './dropped-spans';
import type { ExportTotals } from './flusher';
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

export function flushOnSigterm(policy: ExportPolicy, diag: Diag, totals: () => ExportTotals): void {
  const channel = new BroadcastChannel(SHUTDOWN_CHANNEL);
  // Neither a pending message nor the channel may keep a thread alive.
  channel.unref();
  const flush = (): void => {
    const started = Date.now();
    setTimeout(() => {
      policy.shutdown(SHUTDOWN_FLUSH_BUDGET_MS).then(
        () => reportTotals(diag, totals(), Date.now() - started),
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

/**
 * The environment's account, once, at its end: what was exported and, by reason, what was not
 * (a warning when anything was lost, a debug line otherwise).
 */
export function reportTotals(diag: Diag, { exported, dropped }: ExportTotals, flushMs: number): void {
  const lost = DROP_REASONS.filter((reason) => reason !== 'sampled-out' && dropped[reason] > 0).map((reason) => `${dropped[reason]} ${reason}`);
  // What tail sampling left out is what was asked for: said, but no reason for a warning.
  const sampledOut = dropped['sampled-out'] > 0 ? ` (${dropped['sampled-out']} more sampled out)` : '';
  const summary = `shutdown flush took ${flushMs} ms; this environment exported ${exported} spans${sampledOut}`;
  if (lost.length === 0) diag.debug(`${summary} and dropped none`);
  else diag.warn(`${summary} and dropped ${lost.join(', ')}`);
}

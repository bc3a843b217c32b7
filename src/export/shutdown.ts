import type { Diag } from '../diag';
import type { ExportPolicy } from './policy';

/**
 * Once an extension is registered, Lambda sends SIGTERM 500 ms before it kills the process.
 * We flush within a budget well inside that and let the kill end the process: calling
 * `process.exit()` there hangs while the runtime's native thread sits in `/next`. Other SIGTERM
 * listeners (the user's) run as before, since every listener is called.
 *
 * The flush waits for the next timers phase: the user's own SIGTERM listeners (registered after
 * ours) and timers that fell due while the environment was frozen get to end their spans first.
 */
export const SHUTDOWN_BUDGET_MS = 300;

export function flushOnSigterm(policy: ExportPolicy, diag: Diag): void {
  process.once('SIGTERM', () => {
    const started = Date.now();
    setTimeout(() => {
      policy.shutdown(SHUTDOWN_BUDGET_MS).then(
        () => diag.debug(`shutdown flush took ${Date.now() - started} ms`),
        () => undefined,
      );
    }, 0);
  });
}

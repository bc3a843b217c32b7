/**
 * When the Lambda Node runtime does what, as far as the layer's timing depends on it. Every such
 * fact lives here, checked against aws-lambda-ric 3.3 (nodejs22.x) and 4.0 (nodejs24.x); see
 * ../shared/platform-facts.md in the repository's workspace for the sources.
 */

/**
 * How the runtime posts an invocation's answer once the handler gave it:
 * - `after-settle`: both versions post one `setImmediate` after the handler's promise settles (or
 *   its callback ran without waiting for the event loop), with a blocking native call.
 * - `on-empty-loop`: a 3.x callback handler with `callbackWaitsForEmptyEventLoop` (the default)
 *   is answered from the runtime's `beforeExit` listener, once nothing else is pending.
 */
export type AnswerPath = 'after-settle' | 'on-empty-loop';

export function callbackAnswerPath(callbackWaitsForEmptyEventLoop: unknown): AnswerPath {
  return callbackWaitsForEmptyEventLoop === false ? 'after-settle' : 'on-empty-loop';
}

/**
 * Runs `then` once the runtime has posted the answer. For `after-settle` the second
 * `setImmediate` runs after the runtime's post. For `on-empty-loop`, the runtime added its
 * `beforeExit` listener before any of ours: it posts first, then we run.
 */
export function afterAnswerPosted(path: AnswerPath, then: () => void): void {
  if (path === 'on-empty-loop') process.once('beforeExit', then);
  else setImmediate(() => setImmediate(then));
}

/** Time kept free before the function's deadline, so the layer's own export never causes a timeout. */
export const DEADLINE_MARGIN_MS = 50;

/**
 * With an extension registered, Lambda sends SIGTERM and kills the process 500 ms later (internal
 * extensions only). The layer's last flush gets a budget well inside that window.
 */
export const SIGTERM_TO_KILL_MS = 500;
export const SHUTDOWN_FLUSH_BUDGET_MS = 300;

/**
 * Lambda's timeouts are whole seconds. The remaining time an invocation starts with is its timeout
 * less the few milliseconds the platform took to hand the event over, so rounding it up to the
 * second gives the configured timeout.
 */
export function configuredTimeoutMs(remainingAtStartMs: number): number {
  return Math.ceil(remainingAtStartMs / 1000) * 1000;
}

/**
 * How long before the deadline the layer ends a still-running invocation as timed out, so that its
 * spans can leave before Lambda kills the process: a tenth of the timeout, from 100 ms (a 1 s
 * function keeps 900 ms for its work) to 500 ms (enough for an export round trip to a distant
 * backend on a fresh TLS connection). An answer given inside the margin is reported as a timeout.
 */
export function defaultTimeoutMarginMs(timeoutMs: number): number {
  return Math.min(500, Math.max(100, Math.round(timeoutMs / 10)));
}

/**
 * Whether an uncaught exception or unhandled rejection ends the process. aws-lambda-ric 3.x
 * installs its own `uncaughtException` and `unhandledRejection` listeners before it loads the
 * handler; they post the error and exit (129 / 128), whatever other listeners exist. 4.x installs
 * none: Node's default applies, so the process dies unless someone listens for
 * `uncaughtException` (an unhandled rejection becomes an uncaught exception unless someone
 * listens for `unhandledRejection`).
 *
 * `runtimeListens` is read before the user's module loads: any listener present then is the runtime's.
 */
export interface CrashRules {
  readonly runtimeListens: boolean;
}

/** The part of `process` the crash rules read. */
export type ProcessEvents = Pick<NodeJS.Process, 'listenerCount' | 'on' | 'prependListener'>;

export function readCrashRules(proc: ProcessEvents): CrashRules {
  return { runtimeListens: proc.listenerCount('uncaughtException') > 0 };
}

export function uncaughtExceptionEndsProcess(rules: CrashRules, proc: ProcessEvents): boolean {
  return rules.runtimeListens || proc.listenerCount('uncaughtException') === 0;
}

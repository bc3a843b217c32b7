import type { Flusher } from './flusher';

/** Time kept free at the end of the function's timeout, so our export can never cause one. */
export const DEADLINE_MARGIN_MS = 50;

export interface FinishedInvocation {
  readonly requestId: string | undefined;
  readonly remainingMs: number;
  /**
   * A 3.x callback handler with `callbackWaitsForEmptyEventLoop`: the runtime answers only once
   * the event loop is empty, so any work we start before that delays the answer.
   */
  readonly answersOnEmptyLoop: boolean;
}

/** When spans leave the process. One implementation per export mode. */
export interface ExportPolicy {
  /** Called once the invocation span ended; the runtime gets the answer after the promise settles. */
  onFinished(invocation: FinishedInvocation): Promise<void>;
  /** Last chance before the process is killed: send what is left within the budget. */
  shutdown(budgetMs: number): Promise<void>;
}

export function exportBound(flushTimeoutMs: number, remainingMs: number): number {
  return Math.min(flushTimeoutMs, remainingMs - DEADLINE_MARGIN_MS);
}

/** `sync`: a bounded flush before the answer goes out. Billed duration as without the layer's export window. */
export function syncPolicy(flusher: Flusher, flushTimeoutMs: number): ExportPolicy {
  return {
    onFinished({ remainingMs }) {
      const bound = exportBound(flushTimeoutMs, remainingMs);
      return bound > 0 ? flusher.flush(bound) : Promise.resolve();
    },
    shutdown: (budgetMs) => flusher.flush(budgetMs),
  };
}

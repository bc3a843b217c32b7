import type { Flusher } from './flusher';

/** Time kept free at the end of the function's timeout, so our export can never cause one. */
export const DEADLINE_MARGIN_MS = 50;

/**
 * The sync export mode: flush before the response goes out, bounded by the configured flush
 * timeout and by the invocation's remaining time.
 */
export function flushBeforeResponse(flusher: Flusher, flushTimeoutMs: number) {
  return (remainingMs: number): Promise<void> => {
    const bound = Math.min(flushTimeoutMs, remainingMs - DEADLINE_MARGIN_MS);
    return bound > 0 ? flusher.flush(bound) : Promise.resolve();
  };
}

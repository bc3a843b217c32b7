import type { Flusher } from './flusher';
import { commonFlushes, type ExportPolicy } from './policy';

/**
 * `batch`, for Lambda Managed Instances: the environment is never frozen and many invocations run
 * at once, so spans leave on a timer (unref'd), off every invocation's path, and as soon as
 * `batchSize` of them wait: under load the timer alone let the buffer overflow between two ticks
 * (5 000 invocations, 64 in flight, dropped more than half their spans).
 */
export function batchPolicy(flusher: Flusher, intervalMs: number, batchSize: number, flushTimeoutMs: number): ExportPolicy {
  let running: Promise<void> | undefined;
  const tick = (): void => {
    running ??= flusher.flush(flushTimeoutMs).finally(() => (running = undefined));
  };
  setInterval(tick, intervalMs).unref();
  // Out of the span's end: that runs inside the function's own code.
  flusher.whenWaiting(batchSize, () => setImmediate(tick));
  return {
    beforeAnswer: () => undefined,
    afterAnswer: () => undefined,
    ...commonFlushes(flusher),
  };
}

import type { Flusher } from './flusher';
import { commonFlushes, type ExportPolicy } from './policy';

/**
 * `batch`, for Lambda Managed Instances: the environment is never frozen and many invocations run
 * at once, so spans leave on a timer, off every invocation's path. The timer is unref'd.
 */
export function batchPolicy(flusher: Flusher, intervalMs: number, flushTimeoutMs: number): ExportPolicy {
  let running: Promise<void> | undefined;
  const tick = (): void => {
    running ??= flusher.flush(flushTimeoutMs).finally(() => (running = undefined));
  };
  setInterval(tick, intervalMs).unref();
  return {
    beforeAnswer: () => undefined,
    afterAnswer: () => undefined,
    ...commonFlushes(flusher),
  };
}

import type { InvokeEvent } from '../extension/client';
import { DEADLINE_MARGIN_MS } from '../runtime/timing';
import type { Flusher } from './flusher';
import { commonFlushes, exportBound, type ExportPolicy } from './policy';

const RESOLVED = Promise.resolve();

export interface AfterResponsePolicy extends ExportPolicy {
  readonly mode: 'after-response';
  /** The extension's work for one INVOKE event (driven by src/extension/invoke-loop.ts). */
  onInvoke(event: InvokeEvent): Promise<void>;
}

/**
 * `after-response`: the layer is an internal extension subscribed to INVOKE. Lambda keeps the
 * environment thawed after the response until the extension asks for the next event, so spans
 * are exported while the caller already has its answer.
 *
 * Per INVOKE event: wait until the runtime has posted the invocation's answer (`afterAnswer`),
 * flush within the bound, and return, which lets the extension ask for the next event and Lambda
 * freeze the environment.
 */
export function afterResponsePolicy(flusher: Flusher, flushTimeoutMs: number): AfterResponsePolicy {
  /** Invocations answered before their INVOKE event reached the extension. */
  const answeredEarly = new Set<string>();
  const waiters = new Map<string, () => void>();

  /**
   * Resolves when the invocation's answer is out, or shortly before its deadline, whichever comes
   * first: the environment is never held past the deadline because an answer went unnoticed.
   */
  const untilAnswered = (key: string, deadlineMs: number | undefined): Promise<void> => {
    if (answeredEarly.delete(key)) return RESOLVED;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(key);
        resolve();
      };
      const timer =
        deadlineMs === undefined ? undefined : setTimeout(done, Math.max(0, deadlineMs - Date.now() - 2 * DEADLINE_MARGIN_MS));
      timer?.unref();
      waiters.set(key, done);
    });
  };

  return {
    mode: 'after-response',
    beforeAnswer: () => undefined,
    afterAnswer({ requestId }) {
      const key = requestId ?? '';
      const waiter = waiters.get(key);
      if (waiter) waiter();
      else answeredEarly.add(key);
    },
    async onInvoke(event) {
      await untilAnswered(event.requestId ?? '', event.deadlineMs);
      const bound = exportBound(flushTimeoutMs, event.deadlineMs);
      if (bound > 0) await flusher.flush(bound);
    },
    ...commonFlushes(flusher),
  };
}

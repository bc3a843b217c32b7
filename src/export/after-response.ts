import type { Diag } from '../diag';
import type { ExtensionClient } from '../extension/client';
import type { Flusher } from './flusher';
import { DEADLINE_MARGIN_MS, exportBound, type ExportPolicy, type FinishedInvocation } from './policy';

const RESOLVED = Promise.resolve();
const MAX_RETRY_DELAY_MS = 1000;

/**
 * `after-response`: the layer is an internal extension subscribed to INVOKE. Lambda keeps the
 * environment thawed after the response until we ask for the next event, so spans are exported
 * while the caller already has its answer.
 *
 * Per INVOKE event: wait until the handler's answer is on its way to the runtime, flush within
 * the bound, then ask for the next event (which lets Lambda freeze the environment).
 */
export class AfterResponsePolicy implements ExportPolicy {
  /** Invocations that finished before their INVOKE event reached us. */
  private readonly finishedEarly = new Set<string>();
  private readonly waiters = new Map<string, () => void>();

  constructor(
    private readonly flusher: Flusher,
    private readonly client: ExtensionClient,
    private readonly extensionId: string,
    private readonly flushTimeoutMs: number,
    private readonly diag: Diag,
  ) {}

  start(): void {
    void this.loop();
  }

  onFinished(invocation: FinishedInvocation): Promise<void> {
    const markFinished = (): void => this.markFinished(invocation.requestId);
    if (invocation.answersOnEmptyLoop) {
      // The runtime's own beforeExit listener was added first: it posts the answer, then we run.
      process.once('beforeExit', markFinished);
    } else {
      // Both runtime versions post the answer one setImmediate after the handler settles, with a
      // blocking call; the second setImmediate runs after that post.
      setImmediate(() => setImmediate(markFinished));
    }
    return RESOLVED;
  }

  shutdown(budgetMs: number): Promise<void> {
    return this.flusher.flush(budgetMs);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    for (;;) {
      let event;
      try {
        event = await this.client.nextEvent(this.extensionId);
        failures = 0;
      } catch (error) {
        // Lambda waits for this extension before every freeze: keep asking, never give up.
        failures++;
        this.diag.once('extension-next', 'warn', `asking Lambda for the next event failed (${String(error)}); retrying`);
        await delay(Math.min(MAX_RETRY_DELAY_MS, 10 * 2 ** failures));
        continue;
      }
      if (event.eventType !== 'INVOKE') continue;
      await this.untilFinished(event.requestId, event.deadlineMs);
      const remainingMs = event.deadlineMs === undefined ? Infinity : event.deadlineMs - Date.now();
      const bound = exportBound(this.flushTimeoutMs, remainingMs);
      if (bound > 0) await this.flusher.flush(bound);
    }
  }

  /** Resolves when the invocation answered, or shortly before its deadline, whichever comes first. */
  private untilFinished(requestId: string | undefined, deadlineMs: number | undefined): Promise<void> {
    const key = requestId ?? '';
    if (this.finishedEarly.delete(key)) return RESOLVED;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(key);
        resolve();
      };
      // Never hold the environment past the deadline because an answer went unnoticed.
      const timer =
        deadlineMs === undefined ? undefined : setTimeout(done, Math.max(0, deadlineMs - Date.now() - 2 * DEADLINE_MARGIN_MS));
      timer?.unref();
      this.waiters.set(key, done);
    });
  }

  private markFinished(requestId: string | undefined): void {
    const key = requestId ?? '';
    const waiter = this.waiters.get(key);
    if (waiter) waiter();
    else this.finishedEarly.add(key);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

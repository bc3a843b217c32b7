import type { Diag } from '../diag';
import type { ExtensionClient, InvokeEvent } from './client';

const MAX_RETRY_DELAY_MS = 1000;

/**
 * The internal extension's side of each invocation: ask Lambda for the next event, let `onInvoke`
 * do its work for that event, ask again. Lambda freezes the environment only once every
 * INVOKE-subscribed extension has asked, so `onInvoke` runs while the caller already has its
 * answer (it must settle, or the environment stays thawed until the deadline).
 *
 * A failed poll is retried with a growing delay, for ever: Lambda waits for this extension before
 * every freeze, so giving up would hold every later invocation until its timeout.
 */
export function runInvokeLoop(
  client: ExtensionClient,
  extensionId: string,
  onInvoke: (event: InvokeEvent) => Promise<void>,
  diag: Diag,
): void {
  void (async () => {
    let failures = 0;
    for (;;) {
      let event: InvokeEvent;
      try {
        event = await client.nextEvent(extensionId);
        failures = 0;
      } catch (error) {
        failures++;
        diag.once('extension-next', 'warn', `asking Lambda for the next event failed (${String(error)}); retrying`);
        await delay(Math.min(MAX_RETRY_DELAY_MS, 10 * 2 ** failures));
        continue;
      }
      if (event.eventType !== 'INVOKE') continue;
      await onInvoke(event).catch(() => undefined);
    }
  })();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

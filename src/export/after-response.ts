import type { Diag } from '../diag';
import type { InvokeEvent } from '../extension/client';
import { DEADLINE_MARGIN_MS } from '../runtime/timing';
import type { Flusher } from './flusher';
import { commonFlushes, exportBound, type ExportPolicy } from './policy';

const RESOLVED = Promise.resolve();

/**
 * When an invocation's spans leave once the caller has its answer:
 * - `now`: before the environment may freeze, waiting for the backend's answer. The caller does
 *   not wait, but the billed duration grows by the backend's round trip.
 * - `deferred`: spans wait for later invocations and leave together (see DEFERRED_BATCH_MS); the
 *   request is written, and the extension asks for the next event at once; the answer is read
 *   whenever it comes, after a freeze if need be, in a later invocation. The billed duration does
 *   not wait for the backend.
 * - `adaptive` (`auto`): `deferred` while invocations come often, `now` otherwise.
 */
export type Deferral = 'now' | 'deferred' | 'adaptive';

/**
 * Invocations count as coming often when each of the last few arrived within this of the one
 * before: then spans written at the end of one are answered, at the latest, during one of the
 * next, and a request that waits out a long freeze stays the exception.
 */
const OFTEN_MS = 2_000;
const RECENT_GAPS = 3;
/**
 * Deferred spans leave together, in one request written in the background, once the oldest has
 * waited this long or this many wait: invocations that come faster share a request. Each request
 * costs its write, the answer's parse and their promises: with invocations back to back (2-core
 * VM, receiver answering at once), CPU added per invocation fell from 0.73 ms with one request per
 * invocation to 0.58 ms with these, and billed time added from 0.71 to 0.44 ms. Spans of the last
 * invocations of a burst wait for the next invocation or the shutdown phase (README, Reliability).
 * Few spans, because waiting spans outlive V8's young-generation collections, which grows the
 * young generation (test/e2e/soak.test.ts): with up to 512 waiting, 1 330 bytes per invocation
 * survived them on nodejs24.x; with 8, 390 to 480 (as without sharing), at the same CPU.
 */
const DEFERRED_BATCH_MS = 100;
const DEFERRED_BATCH_SPANS = 8;
/** Deferred spans never wait longer than this, or in greater number: then they leave as with `now`. */
const MAX_DEFERRED_AGE_MS = 2_000;
const MAX_DEFERRED_SPANS = 1_000;
/** How long a deferred export may take in all, retries included (it holds no invocation up). */
const DEFERRED_BOUND_MS = 5_000;

export interface AfterResponsePolicy extends ExportPolicy {
  readonly mode: 'after-response';
  /** The extension's work for one INVOKE event (driven by src/extension/invoke-loop.ts). */
  onInvoke(event: InvokeEvent): Promise<void>;
}

/**
 * `after-response` and `deferred`: the layer is an internal extension subscribed to INVOKE.
 * Lambda keeps the environment thawed after the response until the extension asks for the next
 * event, so spans are exported while the caller already has its answer.
 *
 * Per INVOKE event: wait until the runtime has posted the invocation's answer (`afterAnswer`),
 * then export (waiting for the backend, or not: see `Deferral`), and return, which lets the
 * extension ask for the next event and Lambda freeze the environment.
 */
export function afterResponsePolicy(flusher: Flusher, flushTimeoutMs: number, deferral: Deferral, diag: Diag): AfterResponsePolicy {
  /** Invocations answered before their INVOKE event reached the extension. */
  const answeredEarly = new Set<string>();
  const waiters = new Map<string, () => void>();
  const defers = deferralChooser(deferral, diag);

  /**
   * Resolves when the invocation's answer is out, or shortly before its deadline, whichever comes
   * first: the environment is never held past the deadline because an answer went unnoticed.
   */
  const untilAnswered = (key: string, deadlineMs: number | undefined): Promise<void> => {
    const early = answeredEarly.has(key);
    // One invocation at a time in this mode: any other id is from an invocation whose event has
    // passed, answered after its waiter gave up near the deadline. Kept, it would stay for ever.
    answeredEarly.clear();
    if (early) return RESOLVED;
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

  /** Whether the deferred spans waited this long, or are this many. */
  const waited = (ms: number, spans: number): boolean => {
    const since = flusher.waitingSince();
    return since !== undefined && (performance.now() - since >= ms || flusher.waiting >= spans);
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
      const deferred = defers(Date.now());
      await untilAnswered(event.requestId ?? '', event.deadlineMs);
      if (deferred && !waited(MAX_DEFERRED_AGE_MS, MAX_DEFERRED_SPANS)) {
        if (waited(DEFERRED_BATCH_MS, DEFERRED_BATCH_SPANS)) flusher.flushInBackground(DEFERRED_BOUND_MS);
        return;
      }
      const bound = exportBound(flushTimeoutMs, event.deadlineMs);
      if (bound > 0) await flusher.flush(bound);
    },
    ...commonFlushes(flusher),
  };
}

/**
 * Decides per INVOKE event, from when the events arrive, whether the export may be deferred.
 * Says at debug level when an adaptive choice changes, and why.
 */
export function deferralChooser(deferral: Deferral, diag: Diag): (nowMs: number) => boolean {
  if (deferral !== 'adaptive') return () => deferral === 'deferred';
  const gaps: number[] = [];
  let last: number | undefined;
  let deferring = false;
  return (nowMs) => {
    if (last !== undefined) {
      gaps.push(nowMs - last);
      if (gaps.length > RECENT_GAPS) gaps.shift();
    }
    last = nowMs;
    const often = gaps.length === RECENT_GAPS && gaps.every((gap) => gap < OFTEN_MS);
    if (often !== deferring) {
      deferring = often;
      diag.debug(
        often
          ? `export: deferred to the next invocations (the last ${RECENT_GAPS} came within ${OFTEN_MS / 1000} s of each other)`
          : `export: after each response (an invocation came ${Math.round(gaps[gaps.length - 1] / 1000)} s after the one before)`,
      );
    }
    return often;
  };
}

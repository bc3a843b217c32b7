import { DEADLINE_MARGIN_MS } from '../runtime/timing';
import type { Flusher } from './flusher';

/** What an export policy learns of an invocation that has ended. */
export interface EndedInvocation {
  readonly requestId: string | undefined;
  /** Epoch milliseconds of the invocation's deadline; undefined when the context did not say. */
  readonly deadlineMs: number | undefined;
}

/**
 * When spans leave the process: one implementation per export mode. The invocation
 * (src/invocation/) decides *what* happened and calls these in order; the policy only decides
 * *when* the buffered spans go.
 */
export interface ExportPolicy {
  /**
   * The invocation ended with an answer. Returns a promise when the answer must wait for it
   * (sync mode's export), and undefined when the answer may go out at once: the handler's answer
   * then reaches the runtime in the same turn as without the layer.
   */
  beforeAnswer(invocation: EndedInvocation): Promise<void> | undefined;
  /** The runtime has posted the answer: the caller has it. */
  afterAnswer(invocation: EndedInvocation): void;
  /** An invocation was cut short (timeout): its spans leave now, within the bound. */
  flushNow(boundMs: number): Promise<void>;
  /** The process is dying (a crash): its spans leave now, blocking, within the bound. */
  flushBlocking(boundMs: number): void;
  /** Last chance before the process is killed: send what is left within the budget. */
  shutdown(budgetMs: number): Promise<void>;
}

/** The bound for an export that must end before the deadline, with the layer's margin kept free. */
export function exportBound(flushTimeoutMs: number, deadlineMs: number | undefined): number {
  const remainingMs = deadlineMs === undefined ? Infinity : deadlineMs - Date.now();
  return Math.min(flushTimeoutMs, remainingMs - DEADLINE_MARGIN_MS);
}

/** What every policy does the same way: the urgent flushes and the last one. */
export function commonFlushes(flusher: Flusher): Pick<ExportPolicy, 'flushNow' | 'flushBlocking' | 'shutdown'> {
  return {
    flushNow: (boundMs) => (boundMs > 0 ? flusher.flushBeforeKill(boundMs) : Promise.resolve()),
    flushBlocking: (boundMs) => {
      if (boundMs > 0) flusher.flushBlocking(boundMs);
    },
    shutdown: (budgetMs) => flusher.flushBeforeExit(budgetMs),
  };
}

/** `sync`: a bounded flush before the answer goes out. The caller waits for the backend. */
export function syncPolicy(flusher: Flusher, flushTimeoutMs: number): ExportPolicy {
  return {
    beforeAnswer({ deadlineMs }) {
      const bound = exportBound(flushTimeoutMs, deadlineMs);
      return bound > 0 ? flusher.flush(bound) : undefined;
    },
    afterAnswer: () => undefined,
    ...commonFlushes(flusher),
  };
}

import { createContextKey, type Context, type Span } from '@opentelemetry/api';
import type { ExportPolicy } from '../export/policy';
import type { PayloadRecorder } from '../payload/capture';
import { afterAnswerPosted, type AnswerPath } from '../runtime/timing';
import type { DropCounts } from '../export/dropped-spans';
import type { HeldSpans } from '../sampling/tail-sampler';
import type { Trigger } from '../triggers/types';
import { cutShort, recordDropped, recordEnding, type Ending } from './endings';

const INVOCATION_KEY = createContextKey('lambda-otel-preload invocation');

/** The invocation a context belongs to: set on the invocation's context, inherited by every child's. */
export function invocationOf(context: Context): Invocation | undefined {
  return context.getValue(INVOCATION_KEY) as Invocation | undefined;
}

export interface InvocationFacts {
  readonly requestId: string | undefined;
  /** Epoch milliseconds; undefined when the runtime's context did not tell. */
  readonly deadlineMs: number | undefined;
  /** The function's configured timeout; undefined when the runtime's context did not tell. */
  readonly timeoutMs: number | undefined;
}

/** What the invocation's owner (src/invocation/invocations.ts) lends each invocation. */
export interface InvocationOwner {
  readonly policy: ExportPolicy;
  readonly payloads?: PayloadRecorder;
  /** Called once, when the invocation has ended, whichever way. */
  ended(invocation: Invocation): void;
  /**
   * Spans dropped since the last call, by reason: each drop is reported once, on the first
   * invocation span that ends after it (its own, for spans over its budget).
   */
  takeDropped(): DropCounts | undefined;
}

/**
 * One invocation, from its start to the hand-off of its spans to export: its span and context,
 * the spans still open inside it, and how it ended. It travels as a value (and in its context),
 * never in module state, so concurrent invocations (managed instances) cannot mix.
 */
export class Invocation {
  readonly context: Context;
  private readonly open = new Set<Span>();
  /** Spans of this invocation that ended within its budget and went on to export. */
  private kept = 0;
  private ending: Ending | undefined;
  /** Set while the first answer waits for the export policy. */
  private answering: Promise<void> | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly span: Span,
    parentContext: Context,
    readonly facts: InvocationFacts,
    private readonly trigger: Trigger,
    private readonly owner: InvocationOwner,
    /** With tail sampling: where its spans wait for the verdict this invocation gives as it ends. */
    private readonly held?: HeldSpans,
  ) {
    this.context = parentContext.setValue(INVOCATION_KEY, this);
  }

  get hasEnded(): boolean {
    return this.ending !== undefined;
  }

  /** A span started inside this invocation (any depth) and not ended yet. */
  adopt(span: Span): void {
    if (this.ending === undefined) this.open.add(span);
  }

  /** A span of this invocation ended: true when it is within the budget and may be exported. */
  release(span: Span, maxSpans: number): boolean {
    this.open.delete(span);
    if (this.kept >= maxSpans) return false;
    this.kept++;
    return true;
  }

  /**
   * Calls `onDeadline` `marginMs` before the deadline, unless the invocation ended first. The timer
   * is unref'd: it never keeps the 3.x runtime from answering a callback handler.
   */
  armDeadline(marginMs: number, onDeadline: (invocation: Invocation) => void): void {
    if (this.facts.deadlineMs === undefined) return;
    const delay = Math.max(0, this.facts.deadlineMs - marginMs - Date.now());
    this.deadlineTimer = setTimeout(onDeadline, delay, this);
    this.deadlineTimer.unref();
  }

  /**
   * The handler gave its answer. Ends the span (once) and hands the spans to export. Returns a
   * promise when the answer must wait (in `sync` mode, for the export), and undefined when it may
   * go out at once, in the same turn as without the layer. A later answer (a callback called
   * twice, a callback after a rejection) changes nothing and gets the same promise, so answers
   * still reach the runtime in the order they were given.
   */
  answer(outcome: { readonly error?: unknown; readonly result?: unknown }, path: AnswerPath): Promise<void> | undefined {
    if (!this.end({ kind: 'answered', ...outcome })) return this.answering;
    const { policy } = this.owner;
    const posted = (): void => afterAnswerPosted(path, () => policy.afterAnswer(this.facts));
    const waiting = policy.beforeAnswer(this.facts);
    if (waiting === undefined) {
      posted();
      return undefined;
    }
    this.answering = waiting.then(posted);
    return this.answering;
  }

  /**
   * Ends an invocation that will never answer (timeout, crash), with every span still open inside
   * it. Returns false when it had ended already. Exporting is the caller's business: it knows
   * whether the process is about to be killed or is dying right now.
   */
  cut(ending: Exclude<Ending, { kind: 'answered' }>): boolean {
    const endTime = Date.now();
    const open = [...this.open];
    if (!this.end(ending)) return false;
    for (const span of open) cutShort(span, ending, endTime);
    return true;
  }

  private end(ending: Ending): boolean {
    if (this.ending !== undefined) return false;
    this.ending = ending;
    clearTimeout(this.deadlineTimer);
    this.open.clear();
    const failure = recordEnding(this.span, this.trigger, ending, this.owner.payloads);
    // With tail sampling, a dropped invocation leaves the drop counts to the next one kept.
    if (this.held?.end(this.span, failure) !== false) recordDropped(this.span, this.owner.takeDropped());
    this.span.end();
    this.owner.ended(this);
    return true;
  }
}

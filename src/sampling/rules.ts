import type { KeepRule } from '../config/load';

/** How an invocation failed, if it did: the keep rules of that name apply. */
export type Failure = Extract<KeepRule, 'error' | 'timeout' | 'crash'>;

/** Why an invocation was kept: a keep rule, the ratio, or a sampled parent. Written on its span. */
export type KeepReason = KeepRule | 'ratio' | 'parent';

/**
 * What a kept invocation's spans say of their weight:
 * - `recorded`: what they were started with: the ratio's threshold, or the sampled parent's tracestate;
 * - `certain`: kept whatever the trace id (a rule matched), so each counts once: `th:0`.
 */
export type Weight = 'recorded' | 'certain';

export type Verdict =
  | { readonly keep: true; readonly reason: KeepReason; readonly weight: Weight }
  /** `recorded` false: nothing was recorded to drop (a parent that was not sampled, followed). */
  | { readonly keep: false; readonly recorded: boolean };

export const KEPT_BY_PARENT: Verdict = { keep: true, reason: 'parent', weight: 'recorded' };
export const NOT_RECORDED: Verdict = { keep: false, recorded: false };
const DROPPED: Verdict = { keep: false, recorded: true };

/** What is known of an invocation once it has ended. */
export interface Outcome {
  readonly failure: Failure | undefined;
  readonly coldStart: boolean;
  readonly slow: boolean;
  /** Its trace id falls in the ratio's share (always false under a parent). */
  readonly inRatio: boolean;
  /** Recorded only because failures are kept under a parent that was not sampled. */
  readonly underUnsampledParent: boolean;
}

/**
 * The decision, in order: a failure the rules keep; nothing else under a parent that was not
 * sampled; a cold start or a slow invocation the rules keep; the ratio. A rule never looks at
 * the trace id, so the ratio's share of the rest stays what the threshold says.
 */
export function decide(outcome: Outcome, keep: ReadonlySet<KeepRule>): Verdict {
  const { failure } = outcome;
  if (failure !== undefined && keep.has(failure)) return certain(failure);
  if (outcome.underUnsampledParent) return DROPPED;
  if (outcome.coldStart && keep.has('coldstart')) return certain('coldstart');
  if (outcome.slow && keep.has('slow')) return certain('slow');
  return outcome.inRatio ? RATIO : DROPPED;
}

const RATIO: Verdict = { keep: true, reason: 'ratio', weight: 'recorded' };

function certain(reason: KeepRule): Verdict {
  return { keep: true, reason, weight: 'certain' };
}

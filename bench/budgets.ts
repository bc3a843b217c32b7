/**
 * Every budget of the bench, in one place. A figure is an "added" value: the variant's figure
 * minus the no-layer figure measured in the same run.
 *   max:            ours must be <= limit (absolute, in the figure's unit); `strict` makes it <.
 *   maxVsUpstream:  ours must be <= limit x upstream's figure in the same run.
 * `figure` is matched against the figure ids main.ts produces (a prefix match: "init added"
 * covers every runtime/function combination).
 */
export interface Budget {
  readonly figure: string;
  readonly max?: number;
  readonly strict?: boolean;
  readonly maxVsUpstream?: number;
}

export const budgets: readonly Budget[] = [
  { figure: 'init added', maxVsUpstream: 1 / 4 },
  { figure: 'warm latency added, median', max: 1, strict: true },
  { figure: 'warm latency added, p99', max: 3, strict: true },
  // Issue #13: the bill must not grow with the backend's latency (auto defers the export while
  // invocations come often, as they do in the bench).
  { figure: 'billed time added, median', max: 2, strict: true },
  { figure: 'CPU per invocation added', maxVsUpstream: 1 / 2 },
  { figure: 'memory added', maxVsUpstream: 1 / 2 },
  // 300 KB read as 300 000 bytes (the stricter reading).
  { figure: 'layer zip', max: 300_000, strict: true },
];

export interface Figure {
  readonly id: string;
  readonly unit: 'ms' | 'bytes' | 'KB';
  readonly ours: number;
  readonly upstream: number;
}

export interface Verdict {
  readonly figure: string;
  readonly budget: string;
  readonly ok: boolean;
}

export function describeBudget(b: Budget): string {
  if (b.maxVsUpstream !== undefined) return `<= ${b.maxVsUpstream.toFixed(2)} x upstream`;
  return `${b.strict ? '<' : '<='} ${b.max}`;
}

export function budgetFor(figureId: string): Budget | undefined {
  return budgets.find((b) => figureId.startsWith(b.figure));
}

export function check(figures: readonly Figure[]): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const f of figures) {
    const b = budgetFor(f.id);
    if (b === undefined) continue;
    let ok = true;
    // A figure at or below zero (no measurable overhead) is always within a relative budget.
    if (b.maxVsUpstream !== undefined) ok = f.ours <= 0 || f.ours <= b.maxVsUpstream * f.upstream;
    if (b.max !== undefined) ok = ok && (b.strict ? f.ours < b.max : f.ours <= b.max);
    verdicts.push({ figure: f.id, budget: describeBudget(b), ok });
  }
  for (const b of budgets) {
    if (!figures.some((f) => f.id.startsWith(b.figure))) verdicts.push({ figure: b.figure, budget: `${describeBudget(b)} (not measured)`, ok: false });
  }
  return verdicts;
}

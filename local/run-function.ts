/**
 * One function in the local Lambda sandbox with the built layer: the real runtime client, started
 * as Lambda starts it, frozen between invocations. Prints what a user watches in CloudWatch: the
 * init's and each invocation's log lines (the function's and the layer's), and each answer.
 */
import { LAYER_WRAPPER } from '../test/helpers/paths';
import { makeXRayTraceId, Sandbox, type InvokeResult, type RuntimeName } from '../test/helpers/sandbox/sandbox';
import type { Paint } from './waterfall';

export interface FunctionRun {
  readonly taskRoot: string;
  readonly handler: string;
  readonly functionName: string;
  readonly runtime: RuntimeName;
  readonly timeoutMs: number;
  readonly region: string | undefined;
  /** From the user's environment; see SandboxOptions.passThrough. */
  readonly passThrough: Readonly<Record<string, string>>;
  /** Wins over everything else. */
  readonly env: Readonly<Record<string, string>>;
  /** Invoked in order, one at a time. */
  readonly events: readonly { readonly label: string; readonly event: unknown }[];
}

export type Print = (line: string) => void;

const MAX_ANSWER_CHARS = 600;

/** Runs every event through one environment (the first invocation is its cold start), then shuts it down. */
export async function runFunction(run: FunctionRun, print: Print, paint: Paint): Promise<InvokeResult[]> {
  let shown = 0;
  const showLogs = (sandbox: Sandbox): void => {
    const logs = sandbox.logs();
    const fresh = logs.slice(shown);
    shown = logs.length;
    for (const line of fresh.split('\n')) if (line.trim() !== '') print(paint.dim('  │ ') + line);
  };
  print(paint.bold(`▶ ${run.functionName}: init (${run.runtime}, ${run.handler} in ${run.taskRoot})`));
  const sandbox = await Sandbox.start({
    runtime: run.runtime,
    taskRoot: run.taskRoot,
    handler: run.handler,
    functionName: run.functionName,
    wrapper: LAYER_WRAPPER,
    timeoutMs: run.timeoutMs,
    region: run.region,
    passThrough: run.passThrough,
    env: run.env,
  });
  const results: InvokeResult[] = [];
  try {
    showLogs(sandbox);
    for (const [i, { label, event }] of run.events.entries()) {
      print(paint.bold(`▶ ${run.functionName}: invocation ${i + 1} of ${run.events.length}, ${label}`));
      // An X-Ray header as Lambda sends it when the function's active tracing is off.
      const result = await sandbox.invoke(event, { traceId: makeXRayTraceId(false) });
      results.push(result);
      showLogs(sandbox);
      print(describeResult(result, paint));
    }
  } finally {
    await sandbox.shutdown();
    showLogs(sandbox);
  }
  return results;
}

function describeResult(result: InvokeResult, paint: Paint): string {
  const { invokeStart, responseAt, frozenAt } = result.timing;
  const timing =
    responseAt === undefined
      ? ''
      : ` in ${(responseAt - invokeStart).toFixed(1)} ms` +
        (frozenAt === undefined ? '' : paint.dim(` (spans exported, environment frozen ${(frozenAt - responseAt).toFixed(1)} ms after the answer)`));
  const cold = result.coldStart ? paint.yellow(' cold start') : '';
  switch (result.kind) {
    case 'success':
      return `  ${paint.bold('answer')}${cold}${timing}: ${clip(result.raw.toString('utf8'))}`;
    case 'error':
    case 'init-error':
      return `  ${paint.red(result.kind === 'error' ? 'error' : 'init error')}${cold}${timing}: ${result.errorType}: ${clip(result.errorMessage)}`;
    case 'timeout':
      return `  ${paint.red('timed out')}${cold}: the function did not answer within its timeout`;
    case 'crash':
      return `  ${paint.red('crashed')}${cold}: the runtime process ended (${result.signal ?? `exit code ${result.exitCode}`})`;
  }
}

function clip(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length <= MAX_ANSWER_CHARS ? line : `${line.slice(0, MAX_ANSWER_CHARS)}… (${line.length} characters)`;
}

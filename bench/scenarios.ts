/**
 * Runs the function in the sandbox under each variant (no layer, upstream reference, ours),
 * interleaved round by round (A B C A B C ...) so machine drift hits all three alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { OtlpReceiver } from '../test/helpers/sandbox/otlp-receiver';
import { Sandbox, type InvokeResult, type RuntimeName } from '../test/helpers/sandbox/sandbox';
import { functionFixture } from '../test/helpers/sandbox/task-root';
import { linkPackages } from '../test/helpers/layer';
import { apiGatewayEvent, makeFunction, type FunctionName } from './functions';

/** `head-1`, `tail-10`…: ours with head or tail sampling keeping 1 or 10 % (of the rest, for tail). */
export type VariantName =
  | 'none'
  | 'upstream'
  | 'ours'
  | 'ours-after-response'
  | 'ours-sync'
  | 'ours-no-log-correlation'
  | 'ours-capture'
  | 'head-1'
  | 'tail-1'
  | 'head-10'
  | 'tail-10'
  | 'ours-no-module-spans';
export interface Variant {
  readonly name: VariantName;
  /** AWS_LAMBDA_EXEC_WRAPPER; none for the bare function. */
  readonly wrapper?: string;
  readonly env?: Readonly<Record<string, string>>;
}
/** A value for each variant a scenario ran (the export-mode and module-span variants run in some only). */
export type PerVariant<T> = Partial<Record<VariantName, T>>;

function perVariant<T>(variants: readonly Variant[], make: () => T): PerVariant<T> {
  return Object.fromEntries(variants.map((v) => [v.name, make()]));
}

/** The value of a variant the scenario ran; asking for one it did not run is a bench bug. */
export function of<T>(values: PerVariant<T>, name: VariantName): T {
  const value = values[name];
  if (value === undefined) throw new Error(`no ${name} figures in this scenario`);
  return value;
}

/** Environment every sandbox of the run gets (the OTLP receiver, the loopback AWS endpoint). */
export interface RunContext {
  readonly receiver: OtlpReceiver;
  readonly env: Readonly<Record<string, string>>;
}

function startSandbox(runtime: RuntimeName, taskRoot: string, variant: Variant, run: RunContext): Promise<Sandbox> {
  return Sandbox.start({
    runtime,
    taskRoot,
    handler: 'index.handler',
    wrapper: variant.wrapper,
    functionName: `bench-${variant.name}`,
    timeoutMs: 10_000,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: run.receiver.url, ...run.env, ...variant.env },
  });
}

/** The event of the n-th invocation of a run. */
export type EventMaker = (n: number) => unknown;
const API_GATEWAY_EVENT: EventMaker = (n) => apiGatewayEvent(String(n));

let invocationSeq = 0;
async function invokeOk(sandbox: Sandbox, variant: Variant, event: EventMaker = API_GATEWAY_EVENT): Promise<InvokeResult> {
  const result = await sandbox.invoke(event(++invocationSeq));
  if (result.kind !== 'success' || result.resetAfter !== undefined) {
    throw new Error(`${variant.name}: invocation ended with ${result.kind}${result.resetAfter ? ` (reset: ${result.resetAfter})` : ''}\n${sandbox.logs().slice(-4000)}`);
  }
  return result;
}

export interface ColdSamples {
  /** Process spawn to the runtime's first /next (Sandbox.inits). */
  readonly initMs: number[];
  /** The cold invocation: invoke to response. */
  readonly firstInvocationMs: number[];
}

export async function coldStarts(
  runtime: RuntimeName,
  fn: FunctionName,
  rounds: number,
  variants: readonly Variant[],
  run: RunContext,
): Promise<PerVariant<ColdSamples>> {
  const taskRoot = makeFunction(fn);
  const out = perVariant<ColdSamples>(variants, () => ({ initMs: [], firstInvocationMs: [] }));
  run.receiver.setBehaviour({});
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const sandbox = await startSandbox(runtime, taskRoot, variant, run);
      try {
        const init = sandbox.inits[0];
        if (init.outcome !== 'ready' || init.endedAt === undefined) throw new Error(`${variant.name}: init ${init.outcome}\n${sandbox.logs()}`);
        const result = await invokeOk(sandbox, variant);
        of(out, variant.name).initMs.push(init.endedAt - init.startedAt);
        of(out, variant.name).firstInvocationMs.push((result.timing.responseAt as number) - result.timing.invokeStart);
      } finally {
        await sandbox.shutdown();
      }
    }
  }
  return out;
}

export interface WarmSegment {
  readonly receiverDelayMs: number;
  /** invokeStart -> responseAt, what the caller waits. */
  readonly latencyMs: number[];
  /** invokeStart -> frozenAt, what is billed. */
  readonly billedMs: number[];
  /** CPU time of every thread of the runtime process over the segment, per invocation. */
  readonly cpuMsPerInvocation: number;
}

export interface WarmSamples {
  readonly segments: WarmSegment[];
  /** VmHWM after every warm invocation. */
  readonly peakRssBytes: number;
  /** VmRSS after the last warm invocation minus VmRSS after the warm-up: what a soak adds. */
  readonly rssGrowthBytes: number;
  readonly warmInvocations: number;
}

/**
 * CPU time of a process in ms: the scheduler's nanosecond run time of each of its threads
 * (/proc/<pid>/task/<tid>/schedstat), not utime+stime, which count 10 ms clock ticks. The process
 * is frozen when this is read, so it is stable; Node's threads live as long as the process.
 */
function cpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  return ns / 1e6;
}

/** VmHWM (peak) or VmRSS (now) of a process, in bytes. */
function memoryOf(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no ${field} for ${pid}`);
  return Number(m[1]) * 1024;
}

export async function warmInvocations(
  runtime: RuntimeName,
  fn: FunctionName,
  perDelay: number,
  delaysMs: readonly number[],
  variants: readonly Variant[],
  run: RunContext,
  warmup = 20,
  event: EventMaker = API_GATEWAY_EVENT,
): Promise<PerVariant<WarmSamples>> {
  const { receiver } = run;
  const taskRoot = makeFunction(fn);
  const sandboxes = new Map<VariantName, Sandbox>();
  try {
    for (const variant of variants) sandboxes.set(variant.name, await startSandbox(runtime, taskRoot, variant, run));
    const pid = (v: Variant): number => sandboxes.get(v.name)?.pid ?? Number.NaN;
    receiver.setBehaviour({});
    for (let i = 0; i < 1 + warmup; i++) for (const v of variants) await invokeOk(sandboxes.get(v.name) as Sandbox, v, event);
    const rssAfterWarmup = perVariant(variants, () => 0);
    for (const v of variants) rssAfterWarmup[v.name] = memoryOf(pid(v), 'VmRSS');

    const segments = perVariant<WarmSegment[]>(variants, () => []);
    for (const delay of delaysMs) {
      receiver.setBehaviour({ delayMs: delay });
      const latency = perVariant<number[]>(variants, () => []);
      const billed = perVariant<number[]>(variants, () => []);
      const cpuBefore = perVariant(variants, () => 0);
      for (const v of variants) cpuBefore[v.name] = cpuMs(pid(v));
      for (let i = 0; i < perDelay; i++) {
        for (const v of variants) {
          const { timing } = await invokeOk(sandboxes.get(v.name) as Sandbox, v, event);
          of(latency, v.name).push((timing.responseAt as number) - timing.invokeStart);
          of(billed, v.name).push((timing.frozenAt as number) - timing.invokeStart);
        }
      }
      for (const v of variants) {
        of(segments, v.name).push({
          receiverDelayMs: delay,
          latencyMs: of(latency, v.name),
          billedMs: of(billed, v.name),
          cpuMsPerInvocation: (cpuMs(pid(v)) - of(cpuBefore, v.name)) / perDelay,
        });
      }
    }
    receiver.setBehaviour({});
    const warmCount = warmup + perDelay * delaysMs.length;
    return Object.fromEntries(
      variants.map((v) => [
        v.name,
        {
          segments: of(segments, v.name),
          peakRssBytes: memoryOf(pid(v), 'VmHWM'),
          rssGrowthBytes: memoryOf(pid(v), 'VmRSS') - of(rssAfterWarmup, v.name),
          warmInvocations: warmCount,
        },
      ]),
    ) as PerVariant<WarmSamples>;
  } finally {
    for (const sandbox of sandboxes.values()) await sandbox.shutdown();
  }
}

export interface ConcurrentSamples {
  /** invokeStart -> responseAt of every invocation. */
  readonly latencyMs: number[];
  /** Invocations whose invocation span reached the receiver by the end of the shutdown phase. */
  readonly delivered: number;
  readonly invocations: number;
  /** Why the variant could not run the load (the upstream layer may not support managed instances). */
  readonly failed?: string;
}

/**
 * Lambda Managed Instances (issue #10): `invocations` of the `concurrent` test function, `inFlight`
 * at a time, in the runtime's worker threads; per variant, what the callers waited and how many
 * invocation spans arrived by the end of the shutdown phase. Variants run one after the other
 * (the machine cannot hold two such loads at once).
 */
export async function managedInstances(
  invocations: number,
  inFlight: number,
  variants: readonly Variant[],
  run: RunContext,
): Promise<PerVariant<ConcurrentSamples>> {
  const taskRoot = linkPackages(functionFixture('concurrent'), { '@opentelemetry/api': '@opentelemetry/api' });
  const out = perVariant<ConcurrentSamples>(variants, () => ({ latencyMs: [], delivered: 0, invocations }));
  for (const variant of variants) {
    const functionName = `bench-mi-${variant.name}`;
    const sandbox = await Sandbox.start({
      runtime: 'nodejs24.x',
      taskRoot,
      handler: 'index.handler',
      wrapper: variant.wrapper,
      functionName,
      maxConcurrency: inFlight,
      workerCount: 2,
      timeoutMs: 10_000,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: run.receiver.url, ...run.env, ...variant.env },
    });
    const requestIds = new Set<string>();
    let failed: string | undefined;
    try {
      await sandbox.api.until(() => sandbox.api.runtimeWaitingCount >= 2, 10_000, 'both workers');
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < invocations) {
          const result = await sandbox.invoke({ n: next++, sleepMs: 5 });
          if (result.kind !== 'success') throw new Error(`${variant.name}: invocation ended with ${result.kind}`);
          of(out, variant.name).latencyMs.push((result.timing.responseAt as number) - result.timing.invokeStart);
          requestIds.add(result.requestId);
        }
      };
      await Promise.all(Array.from({ length: inFlight }, lane));
    } catch (error) {
      failed = error instanceof Error ? error.message : String(error);
    } finally {
      await sandbox.shutdown();
    }
    const delivered = run.receiver
      .spans()
      .filter((s) => s.resource['service.name'] === functionName && requestIds.has(String(s.attributes['faas.invocation_id'])));
    out[variant.name] = { ...of(out, variant.name), delivered: new Set(delivered.map((s) => s.attributes['faas.invocation_id'])).size, failed };
  }
  return out;
}

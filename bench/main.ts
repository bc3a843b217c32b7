/**
 * The benchmark: no layer vs the upstream reference layer vs ours, in the local sandbox.
 * How to run it and the knobs (--quick, BENCH_SCALE, BENCH_NODE22) are in ./run.mjs.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { AwsEndpoint } from '../test/helpers/sandbox/aws-endpoint';
import { OtlpReceiver, type ReceivedSpan } from '../test/helpers/sandbox/otlp-receiver';
import type { RuntimeName } from '../test/helpers/sandbox/sandbox';
import { check } from './budgets';
import { CLIENT_SPANS_ENV, type FunctionName } from './functions';
import { renderTable, writeJson, type Row } from './report';
import { logsAndPayloadsCost, renderLogsAndPayloads, type LogsAndPayloadsFigures } from './logs-and-payloads';
import {
  coldStarts,
  managedInstances,
  of,
  warmInvocations,
  type ColdSamples,
  type ConcurrentSamples,
  type PerVariant,
  type RunContext,
  type Variant,
  type VariantName,
  type WarmSamples,
} from './scenarios';
import { median, percentile, summarize } from './stats';
import { deadlineTimerMicros } from './deadline-timer';
import { triggerDetectionMicros } from './trigger-detection';
import { buildUpstreamLayer, OURS_WRAPPER, ROOT, snapshotOursLayer, UPSTREAM_WRAPPER } from './upstream-layer';

const NONE: Variant = { name: 'none' };
const UPSTREAM: Variant = { name: 'upstream', wrapper: UPSTREAM_WRAPPER };
const OURS: Variant = { name: 'ours', wrapper: OURS_WRAPPER };
const OURS_SYNC: Variant = { name: 'ours-sync', wrapper: OURS_WRAPPER, env: { LAMBDA_OTEL_EXPORT_MODE: 'sync' } };
/** auto (ours) defers the export while invocations come often, as they do here; this one never does. */
const OURS_AFTER_RESPONSE: Variant = { name: 'ours-after-response', wrapper: OURS_WRAPPER, env: { LAMBDA_OTEL_EXPORT_MODE: 'after-response' } };
const MODE_PREFIX: Partial<Record<Variant['name'], string>> = { 'ours-sync': 'sync mode: ', 'ours-after-response': 'after-response mode: ' };
const OURS_NO_MODULE_SPANS: Variant = { name: 'ours-no-module-spans', wrapper: OURS_WRAPPER, env: { LAMBDA_OTEL_INIT_SPANS: 'phases' } };
const RECEIVER_DELAYS_MS = [0, 50, 200];
const MI_IN_FLIGHT = 64;
/** Head and tail sampling at the same ratio (tail also keeps failures, cold starts and its p99). */
const SAMPLING_RATIOS = [1, 10] as const;
const SAMPLING_MODES = ['head', 'tail'] as const;
const CLIENT_SPANS = [1, 50] as const;
function samplingVariant(mode: (typeof SAMPLING_MODES)[number], percent: (typeof SAMPLING_RATIOS)[number]): Variant {
  const ratio = String(percent / 100);
  const env: Record<string, string> =
    mode === 'head'
      ? { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: ratio }
      : { LAMBDA_OTEL_SAMPLING: 'tail', LAMBDA_OTEL_SAMPLING_RATIO: ratio };
  return { name: `${mode}-${percent}`, wrapper: OURS_WRAPPER, env };
}
const SAMPLING_VARIANTS = SAMPLING_RATIOS.flatMap((percent) => SAMPLING_MODES.map((mode) => samplingVariant(mode, percent)));

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** `ours` (or another of our variants) and upstream, each minus the no-layer value of the same statistic. */
function added(values: PerVariant<number>, id: string, unit: Row['unit'], ours: Variant = OURS): Row {
  const none = of(values, 'none');
  return { id, unit, baseline: none, upstream: of(values, 'upstream') - none, ours: of(values, ours.name) - none };
}

function mapVariants<T, U>(values: PerVariant<T>, f: (t: T) => U): PerVariant<U> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, f(value as T)]));
}

function warmRows(warm: PerVariant<WarmSamples>, label: string, ours: Variant): Row[] {
  const rows: Row[] = [];
  of(warm, 'none').segments.forEach((segment, i) => {
    const seg = mapVariants(warm, (w) => w.segments[i]);
    const at = `(${label}receiver ${segment.receiverDelayMs} ms)`;
    const prefix = MODE_PREFIX[ours.name] ?? '';
    rows.push(added(mapVariants(seg, (s) => median(s.latencyMs)), `${prefix}warm latency added, median ${at}`, 'ms', ours));
    rows.push(added(mapVariants(seg, (s) => percentile(s.latencyMs, 99)), `${prefix}warm latency added, p99 ${at}`, 'ms', ours));
    rows.push(added(mapVariants(seg, (s) => median(s.billedMs)), `${prefix}billed time added, median ${at}`, 'ms', ours));
    rows.push(added(mapVariants(seg, (s) => percentile(s.billedMs, 99)), `${prefix}billed time added, p99 ${at}`, 'ms', ours));
    rows.push(added(mapVariants(seg, (s) => s.cpuMsPerInvocation), `${prefix}CPU per invocation added ${at}`, 'ms', ours));
  });
  return rows;
}

export async function main(argv: string[]): Promise<number> {
  const scale = argv.includes('--quick') ? 0.1 : Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number, got ${process.env.BENCH_SCALE}`);
  const coldRounds = Math.max(3, Math.round(30 * scale));
  const warmPerDelay = Math.max(30, Math.round(400 * scale));
  const withNode22 = process.env.BENCH_NODE22 !== '0';
  const started = Date.now();

  log('building the upstream reference layer (test/.work/upstream-layer)');
  const upstreamSize = await buildUpstreamLayer();
  const oursSize = snapshotOursLayer();

  const receiver = await OtlpReceiver.start();
  const aws = await AwsEndpoint.start();
  const run: RunContext = { receiver, env: { FAKE_AWS_ENDPOINT: aws.url } };
  const cold: Record<string, PerVariant<ColdSamples>> = {};
  let warm: PerVariant<WarmSamples>;
  let warmSdk: PerVariant<WarmSamples>;
  let exportTraffic: Record<string, { requests: number; bytes: number }>;
  const sampling = new Map<(typeof CLIENT_SPANS)[number], PerVariant<WarmSamples>>();
  /** Invocation spans each sampling variant exported, per span count: how many it kept. */
  const kept = new Map<(typeof CLIENT_SPANS)[number], Record<string, number>>();
  let logsAndPayloads: LogsAndPayloadsFigures;
  let concurrent: PerVariant<ConcurrentSamples>;
  try {
    const coldCases: [RuntimeName, FunctionName, Variant[]][] = [
      ['nodejs24.x', 'plain', [NONE, UPSTREAM, OURS]],
      ['nodejs24.x', 'aws-sdk', [NONE, UPSTREAM, OURS]],
      // Where module spans cost the most: with them (ours) and without.
      ['nodejs24.x', 'heavy', [NONE, UPSTREAM, OURS, OURS_NO_MODULE_SPANS]],
      ...(withNode22 ? ([['nodejs22.x', 'plain', [NONE, UPSTREAM, OURS]]] as [RuntimeName, FunctionName, Variant[]][]) : []),
    ];
    for (const [runtime, fn, variants] of coldCases) {
      log(`cold starts: ${runtime}, ${fn} function, ${coldRounds} rounds x ${variants.length} variants`);
      cold[`${runtime}, ${fn}`] = await coldStarts(runtime, fn, coldRounds, variants, run);
    }
    log(`warm invocations: nodejs24.x, plain function, ${warmPerDelay} x 5 variants at receiver delays ${RECEIVER_DELAYS_MS.join(', ')} ms`);
    const requestsBefore = receiver.requests().length;
    warm = await warmInvocations('nodejs24.x', 'plain', warmPerDelay, RECEIVER_DELAYS_MS, [NONE, UPSTREAM, OURS, OURS_AFTER_RESPONSE, OURS_SYNC], run);
    exportTraffic = trafficPerInvocation(receiver.requests().slice(requestsBefore), of(warm, 'ours').warmInvocations);
    log(`warm invocations: nodejs24.x, one DynamoDB GetItem per invocation, ${warmPerDelay} x 3 variants`);
    warmSdk = await warmInvocations('nodejs24.x', 'aws-sdk-call', warmPerDelay, [0], [NONE, UPSTREAM, OURS], run);
    // At least 200 each: at 10 % that is 20 exports give or take 4, rather than 4 give or take 2,
    // and an export is most of what a kept invocation costs.
    const samplingPerVariant = Math.max(200, warmPerDelay);
    for (const spans of CLIENT_SPANS) {
      log(`warm invocations: nodejs24.x, ${spans} client spans per invocation, ${samplingPerVariant} x ${3 + SAMPLING_VARIANTS.length} variants (no sampling, head and tail sampling at 1 and 10 %)`);
      const before = receiver.spans().length;
      const withSpans: RunContext = { ...run, env: { ...run.env, [CLIENT_SPANS_ENV]: String(spans) } };
      sampling.set(spans, await warmInvocations('nodejs24.x', 'client-spans', samplingPerVariant, [0], [NONE, UPSTREAM, OURS, ...SAMPLING_VARIANTS], withSpans));
      kept.set(spans, countInvocationSpans(receiver.spans().slice(before)));
    }
    logsAndPayloads = await logsAndPayloadsCost(warmPerDelay, run, log);
    const concurrentInvocations = Math.max(500, Math.round(5000 * scale));
    log(`managed instances: nodejs24.x, ${concurrentInvocations} invocations, ${MI_IN_FLIGHT} in flight, 2 worker threads, x 3 variants`);
    concurrent = await managedInstances(concurrentInvocations, MI_IN_FLIGHT, [NONE, UPSTREAM, OURS], run);
  } finally {
    await receiver.close();
    await aws.close();
  }
  const spansByService: Record<string, number> = {};
  for (const span of receiver.spans()) {
    const service = String(span.resource['service.name']);
    spansByService[service] = (spansByService[service] ?? 0) + 1;
  }
  log('trigger detection, in this process');
  const detection = triggerDetectionMicros(Math.max(2000, Math.round(20000 * scale)));
  const deadlineTimer = deadlineTimerMicros(Math.max(20_000, Math.round(200_000 * scale)));

  const rows: Row[] = [];
  for (const [key, samples] of Object.entries(cold)) {
    rows.push(added(mapVariants(samples, (s) => median(s.initMs)), `init added (${key})`, 'ms'));
    if (samples['ours-no-module-spans'] !== undefined) {
      rows.push(added(mapVariants(samples, (s) => median(s.initMs)), `init added (${key}, module spans off)`, 'ms', OURS_NO_MODULE_SPANS));
    }
  }
  for (const [key, samples] of Object.entries(cold)) {
    rows.push(added(mapVariants(samples, (s) => median(s.firstInvocationMs)), `first-invocation added (${key})`, 'ms'));
  }
  rows.push(...warmRows(warm, '', OURS));
  rows.push(...warmRows(warm, '', OURS_AFTER_RESPONSE));
  rows.push(...warmRows(warm, '', OURS_SYNC));
  rows.push(...warmRows(warmSdk, 'DynamoDB call, ', OURS));
  rows.push(added(mapVariants(warm, (w) => w.peakRssBytes), `memory added (VmHWM, ${of(warm, 'ours').warmInvocations} warm)`, 'bytes'));
  // Issue #10: the soak figure. What RSS gained from the end of the warm-up to the end of the run.
  const soaked = of(warm, 'ours').segments.reduce((n, segment) => n + segment.latencyMs.length, 0);
  rows.push(added(mapVariants(warm, (w) => w.rssGrowthBytes), `RSS growth added over ${soaked} warm invocations (VmRSS)`, 'bytes'));
  for (const [spans, samples] of sampling) {
    const segment = mapVariants(samples, (w) => w.segments[0]);
    for (const variant of SAMPLING_VARIANTS) {
      const at = `(${variant.name.replace('-', ' sampling ')} %, ${spans} client spans)`;
      if (variant.name.startsWith('tail')) {
        rows.push(added(mapVariants(segment, (s) => median(s.latencyMs)), `warm latency added, median ${at}`, 'ms', variant));
        rows.push(added(mapVariants(segment, (s) => percentile(s.latencyMs, 99)), `warm latency added, p99 ${at}`, 'ms', variant));
      }
      rows.push(added(mapVariants(segment, (s) => s.cpuMsPerInvocation), `CPU per invocation added ${at}`, 'ms', variant));
      rows.push(added(mapVariants(samples, (w) => w.peakRssBytes), `memory added (VmHWM, ${of(samples, 'none').warmInvocations} warm) ${at}`, 'bytes', variant));
    }
  }
  const mi = `(managed instances, ${MI_IN_FLIGHT} in flight, ${of(concurrent, 'ours').invocations} invocations)`;
  for (const [label, stat] of [['median', (s: ConcurrentSamples) => median(s.latencyMs)], ['p99', (s: ConcurrentSamples) => percentile(s.latencyMs, 99)]] as const) {
    const none = stat(of(concurrent, 'none'));
    const upstream = of(concurrent, 'upstream');
    rows.push({
      id: `latency added, ${label} ${mi}`,
      unit: 'ms',
      baseline: none,
      upstream: upstream.failed === undefined ? stat(upstream) - none : Number.NaN,
      ours: stat(of(concurrent, 'ours')) - none,
    });
  }
  rows.push({ id: 'layer zip', unit: 'bytes', upstream: upstreamSize.zipped, ours: oursSize.zipped });
  rows.push({ id: 'layer unzipped', unit: 'bytes', upstream: upstreamSize.unzipped, ours: oursSize.unzipped });

  const verdicts = check(rows);
  console.log(`\nlambda-otel-preload bench: nodejs24.x unless noted; "added" = variant minus no layer; medians unless noted; scale ${scale}\n`);
  console.log(renderTable(rows, verdicts));
  const detectionLine = Object.entries(detection)
    .map(([event, us]) => `${event} ${us.toFixed(1)}`)
    .join(', ');
  console.log(`\ntrigger detection + parent/links per event (us, bench process on ${process.version}): ${detectionLine}`);
  console.log(`deadline timer armed and cleared per invocation that answers in time: ${deadlineTimer.toFixed(2)} us`);
  const miLine = (name: 'upstream' | 'ours'): string => {
    const samples = of(concurrent, name);
    return samples.failed === undefined ? `${name} ${samples.delivered} of ${samples.invocations}` : `${name} could not run it (${samples.failed.split('\n')[0]})`;
  };
  console.log(`managed instances: invocation spans delivered by the end of the shutdown phase: ${miLine('ours')}; ${miLine('upstream')}`);
  console.log(`\n${renderLogsAndPayloads(logsAndPayloads)}`);
  console.log(`spans received per service (sanity: traced variants export every invocation; sampled ones a share): ${JSON.stringify(spansByService)}`);
  const traffic = Object.entries(exportTraffic)
    .map(([service, t]) => `${service} ${t.requests.toFixed(2)} requests, ${Math.round(t.bytes)} bytes`)
    .join('; ');
  console.log(`export traffic per warm invocation (plain function, all receiver delays): ${traffic}`);
  console.log(`\ntail vs head sampling at the same ratio (ours, added to no layer):\n${renderSamplingTable(sampling, kept)}`);

  const file = writeJson(ROOT, {
    date: new Date().toISOString(),
    scale,
    durationS: (Date.now() - started) / 1000,
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model },
    figures: rows,
    verdicts,
    triggerDetectionMicros: detection,
    deadlineTimerMicros: deadlineTimer,
    logsAndPayloads,
    layerSizes: { ours: oursSize, upstream: upstreamSize },
    spansByService,
    exportTraffic,
    summaries: {
      cold: Object.fromEntries(
        Object.entries(cold).map(([k, s]) => [k, mapVariants(s, (x) => ({ init: summarize(x.initMs), firstInvocation: summarize(x.firstInvocationMs) }))]),
      ),
      warm: Object.fromEntries(
        Object.entries({ plain: warm, 'aws-sdk-call': warmSdk }).map(([fn, samples]) => [
          fn,
          mapVariants(samples, (w) => ({
            peakRssBytes: w.peakRssBytes,
            rssGrowthBytes: w.rssGrowthBytes,
            segments: w.segments.map((s) => ({
              receiverDelayMs: s.receiverDelayMs,
              latency: summarize(s.latencyMs),
              billed: summarize(s.billedMs),
              cpuMsPerInvocation: s.cpuMsPerInvocation,
            })),
          })),
        ]),
      ),
    },
    samplingKept: Object.fromEntries(kept),
    samples: { cold, warm, warmSdk, sampling: Object.fromEntries(sampling) },
  });
  console.log(`results: ${join('bench-results', file.split('/bench-results/')[1])} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

  const missed = verdicts.filter((v) => !v.ok);
  for (const v of missed) console.error(`budget missed: ${v.figure} (budget ${v.budget})`);
  return missed.length === 0 ? 0 : 1;
}

/** Export requests and bytes per invocation, per service (each variant exports as its own service). */
function trafficPerInvocation(requests: ReturnType<OtlpReceiver['requests']>, invocations: number): Record<string, { requests: number; bytes: number }> {
  const out: Record<string, { requests: number; bytes: number }> = {};
  for (const request of requests) {
    for (const service of request.services) {
      const entry = (out[service] ??= { requests: 0, bytes: 0 });
      entry.requests += 1 / invocations;
      entry.bytes += request.bodyBytes / request.services.length / invocations;
    }
  }
  return out;
}

/** Invocation spans by service (`bench-<variant>`), as the receiver got them. */
function countInvocationSpans(spans: readonly ReceivedSpan[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const span of spans) {
    if (span.attributes['faas.invocation_id'] === undefined) continue;
    const service = String(span.resource['service.name']);
    counts[service] = (counts[service] ?? 0) + 1;
  }
  return counts;
}

/**
 * Tail against head sampling, per ratio and span count: CPU per invocation and peak memory, each
 * added to no layer, and how many invocations each kept (tail also keeps cold starts and its p99);
 * with ours exporting everything (the default) for reference.
 */
function renderSamplingTable(sampling: ReadonlyMap<number, PerVariant<WarmSamples>>, kept: ReadonlyMap<number, Record<string, number>>): string {
  const lines = [
    '| client spans | ratio | kept head / tail | CPU head | CPU tail | tail - head | CPU, no sampling | memory head | memory tail | tail - head |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  for (const [spans, samples] of sampling) {
    const none = of(samples, 'none');
    const invocations = none.warmInvocations + 1;
    const keptBy = (name: VariantName): number => kept.get(spans)?.[`bench-${name}`] ?? 0;
    for (const percent of SAMPLING_RATIOS) {
      const head = of(samples, `head-${percent}`);
      const tail = of(samples, `tail-${percent}`);
      const cpu = (w: WarmSamples): number => w.segments[0].cpuMsPerInvocation - none.segments[0].cpuMsPerInvocation;
      const memory = (w: WarmSamples): number => w.peakRssBytes - none.peakRssBytes;
      lines.push(
        `| ${spans} | ${percent} % | ${keptBy(`head-${percent}`)} / ${keptBy(`tail-${percent}`)} of ${invocations} | ` +
          `${cpu(head).toFixed(2)} ms | ${cpu(tail).toFixed(2)} ms | ${(cpu(tail) - cpu(head)).toFixed(2)} ms | ${cpu(of(samples, 'ours')).toFixed(2)} ms | ` +
          `${mb(memory(head))} | ${mb(memory(tail))} | ${mb(memory(tail) - memory(head))} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * The benchmark: no layer vs the upstream reference layer vs ours, in the local sandbox.
 * How to run it and the knobs (--quick, BENCH_SCALE, BENCH_NODE22) are in ./run.mjs.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { OtlpReceiver } from '../sandbox/otlp-receiver';
import type { RuntimeName } from '../sandbox/sandbox';
import { check } from './budgets';
import type { FunctionName } from './functions';
import { renderTable, writeJson, type Row } from './report';
import { coldStarts, warmInvocations, type ColdSamples, type PerVariant, type Variant, type WarmSamples } from './scenarios';
import { median, percentile, summarize } from './stats';
import { buildUpstreamLayer, OURS_WRAPPER, ROOT, snapshotOursLayer, UPSTREAM_WRAPPER } from './upstream-layer';

const VARIANTS: readonly Variant[] = [
  { name: 'none' },
  { name: 'upstream', wrapper: UPSTREAM_WRAPPER },
  { name: 'ours', wrapper: OURS_WRAPPER },
];
const RECEIVER_DELAYS_MS = [0, 50];

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** ours/upstream minus the no-layer value of the same statistic. */
function added(values: PerVariant<number>, id: string, unit: Row['unit']): Row {
  return { id, unit, baseline: values.none, upstream: values.upstream - values.none, ours: values.ours - values.none };
}

function stat<T>(samples: PerVariant<T>, f: (t: T) => number): PerVariant<number> {
  return mapVariants(samples, f);
}

export async function main(argv: string[]): Promise<number> {
  const scale = argv.includes('--quick') ? 0.1 : Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number, got ${process.env.BENCH_SCALE}`);
  const coldRounds = Math.max(3, Math.round(30 * scale));
  const warmPerDelay = Math.max(30, Math.round(500 * scale));
  const withNode22 = process.env.BENCH_NODE22 !== '0';
  const started = Date.now();

  log('building the upstream reference layer (test/.work/upstream-layer)');
  const upstreamSize = await buildUpstreamLayer();
  const oursSize = snapshotOursLayer();

  const receiver = await OtlpReceiver.start();
  const cold: Record<string, PerVariant<ColdSamples>> = {};
  let warm: PerVariant<WarmSamples>;
  try {
    const coldCases: [RuntimeName, FunctionName][] = [
      ['nodejs24.x', 'plain'],
      ['nodejs24.x', 'aws-sdk'],
      ...(withNode22 ? ([['nodejs22.x', 'plain']] as [RuntimeName, FunctionName][]) : []),
    ];
    for (const [runtime, fn] of coldCases) {
      log(`cold starts: ${runtime}, ${fn} function, ${coldRounds} rounds x 3 variants`);
      cold[`${runtime}, ${fn}`] = await coldStarts(runtime, fn, coldRounds, VARIANTS, receiver);
    }
    log(`warm invocations: nodejs24.x, plain function, ${warmPerDelay} x 3 variants at receiver delay ${RECEIVER_DELAYS_MS.join(' and ')} ms`);
    warm = await warmInvocations('nodejs24.x', 'plain', warmPerDelay, RECEIVER_DELAYS_MS, VARIANTS, receiver);
  } finally {
    await receiver.close();
  }
  const spansByService: Record<string, number> = {};
  for (const span of receiver.spans()) {
    const service = String(span.resource['service.name']);
    spansByService[service] = (spansByService[service] ?? 0) + 1;
  }

  const rows: Row[] = [];
  for (const [key, samples] of Object.entries(cold)) {
    rows.push(added(stat(samples, (s) => median(s.initMs)), `init added (${key})`, 'ms'));
  }
  for (const [key, samples] of Object.entries(cold)) {
    rows.push(added(stat(samples, (s) => median(s.firstInvocationMs)), `first-invocation added (${key})`, 'ms'));
  }
  RECEIVER_DELAYS_MS.forEach((delay, i) => {
    const seg = mapVariants(warm, (w) => w.segments[i]);
    const at = `(receiver ${delay} ms)`;
    rows.push(added(stat(seg, (s) => median(s.latencyMs)), `warm latency added, median ${at}`, 'ms'));
    rows.push(added(stat(seg, (s) => percentile(s.latencyMs, 99)), `warm latency added, p99 ${at}`, 'ms'));
    rows.push(added(stat(seg, (s) => median(s.billedMs)), `billed time added, median ${at}`, 'ms'));
    rows.push(added(stat(seg, (s) => percentile(s.billedMs, 99)), `billed time added, p99 ${at}`, 'ms'));
    rows.push(added(stat(seg, (s) => s.cpuMsPerInvocation), `CPU per invocation added ${at}`, 'ms'));
  });
  rows.push(added(stat(warm, (w) => w.peakRssBytes), `memory added (VmHWM, ${warm.ours.warmInvocations} warm)`, 'bytes'));
  rows.push({ id: 'layer zip', unit: 'bytes', upstream: upstreamSize.zipped, ours: oursSize.zipped });
  rows.push({ id: 'layer unzipped', unit: 'bytes', upstream: upstreamSize.unzipped, ours: oursSize.unzipped });

  const verdicts = check(rows);
  console.log(`\nlambda-otel-preload bench: nodejs24.x unless noted; "added" = variant minus no layer; medians unless noted; scale ${scale}\n`);
  console.log(renderTable(rows, verdicts));
  console.log(`\nspans received per service (sanity: traced variants export every invocation): ${JSON.stringify(spansByService)}`);

  const file = writeJson(ROOT, {
    date: new Date().toISOString(),
    scale,
    durationS: (Date.now() - started) / 1000,
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model },
    figures: rows,
    verdicts,
    layerSizes: { ours: oursSize, upstream: upstreamSize },
    spansByService,
    summaries: {
      cold: Object.fromEntries(
        Object.entries(cold).map(([k, s]) => [k, mapVariants(s, (x) => ({ init: summarize(x.initMs), firstInvocation: summarize(x.firstInvocationMs) }))]),
      ),
      warm: mapVariants(warm, (w) => ({
        peakRssBytes: w.peakRssBytes,
        segments: w.segments.map((s) => ({ receiverDelayMs: s.receiverDelayMs, latency: summarize(s.latencyMs), billed: summarize(s.billedMs), cpuMsPerInvocation: s.cpuMsPerInvocation })),
      })),
    },
    samples: { cold, warm },
  });
  console.log(`results: ${join('bench-results', file.split('/bench-results/')[1])} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

  const missed = verdicts.filter((v) => !v.ok);
  for (const v of missed) console.error(`budget missed: ${v.figure} (budget ${v.budget})`);
  return missed.length === 0 ? 0 : 1;
}

function mapVariants<T, U>(x: PerVariant<T>, f: (t: T) => U): PerVariant<U> {
  return { none: f(x.none), upstream: f(x.upstream), ours: f(x.ours) };
}

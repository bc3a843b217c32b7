/**
 * Issue #10, load: thousands of warm invocations in one environment leave nothing behind. Every
 * span made reaches the receiver, the runtime process holds the same timers, sockets and listeners
 * at the end as after warm-up, its live heap and buffers stay put, and what the layer allocates per
 * invocation dies young.
 *
 * That last one is what the issue saw as a leak: before the fix, every invocation's span survived
 * V8's young-generation collections (through the per-instance closures of OpenTelemetry's contexts;
 * see src/propagation/root-context.ts), so V8 grew the young generation to its maximum and RSS
 * climbed in steps, while a full collection found nothing live to keep. It is measured from inside
 * the runtime process with v8.GCProfiler (test/fixtures/functions/memory-probe).
 */
import { readFileSync } from 'node:fs';
import { useReceiver, withLayer } from '../helpers/layer';
import type { Sandbox, RuntimeName } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';

const WARM_UP = 1000;
const SOAK = 2500;
const MB = 1024 * 1024;

interface Probe {
  readonly memory: NodeJS.MemoryUsage;
  readonly resources: string[];
  readonly listeners: Record<string, number>;
  readonly scavenges?: { readonly count: number; readonly allocatedBytes: number; readonly survivedBytes: number };
  /** The young generation's size (V8's new space, both semi-spaces). */
  readonly newSpaceBytes: number;
  /** VmRSS of the runtime process, read from the sandbox side while it is frozen. */
  readonly rssBytes: number;
}

/**
 * Bytes that survived young-generation collections, per invocation, at most: mostly what is in
 * flight when one runs. Measured on a loaded 2-core VM over this test's window (after 1 000
 * warm-up invocations, 2 500 more), several runs each:
 * - nodejs24.x: 30-60 without the layer, 200-680 with it, 3 650-5 870 before the fix;
 * - nodejs22.x: 910-950 without the layer (the 3.x runtime's own per-invocation context object
 *   outlives them), 1 360-1 570 with it, about the same before the fix. The runtime dominates
 *   there, so the bound only catches a gross regression.
 */
const SURVIVED_PER_INVOCATION: Record<RuntimeName, number> = { 'nodejs24.x': 1500, 'nodejs22.x': 2500 };

async function probe(sandbox: Sandbox, step: 'start' | 'stop'): Promise<Probe> {
  const result = await sandbox.invoke({ probe: step });
  if (result.kind !== 'success') throw new Error(`probe ${step}: ${result.kind}\n${sandbox.logs().slice(-2000)}`);
  const status = readFileSync(`/proc/${sandbox.pid}/status`, 'utf8');
  const rssBytes = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
  return { ...(result.payload as Omit<Probe, 'rssBytes'>), rssBytes };
}

async function invokeMany(sandbox: Sandbox, count: number, requestIds: string[]): Promise<void> {
  for (let n = 0; n < count; n++) {
    const result = await sandbox.invoke({});
    if (result.kind !== 'success' || result.resetAfter !== undefined) {
      throw new Error(`invocation ${n}: ${result.kind} ${result.resetAfter ?? ''}\n${sandbox.logs().slice(-2000)}`);
    }
    requestIds.push(result.requestId);
  }
}

describe.each(['nodejs24.x', 'nodejs22.x'] as const)('%s', (runtime) => {
  const receiver = useReceiver();

  it(`${SOAK} warm invocations after ${WARM_UP}: every span arrives, nothing grows, garbage dies young`, async () => {
    const requestIds: string[] = [];
    const { before, after, logs } = await withLayer(
      { runtime, taskRoot: functionFixture('memory-probe'), handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } },
      async (sandbox) => {
        await invokeMany(sandbox, WARM_UP, requestIds);
        const start = await probe(sandbox, 'start');
        await invokeMany(sandbox, SOAK, requestIds);
        return { before: start, after: await probe(sandbox, 'stop'), logs: sandbox.logs() };
      },
    );
    expect(logs).not.toContain('[lambda-otel-preload]');

    // The receiver got exactly the spans made: one per invocation, probes included.
    const spans = await receiver().waitForSpans(requestIds.length + 2, 10_000);
    expect(spans).toHaveLength(requestIds.length + 2);
    const ids = new Set(spans.map((s) => s.attributes['faas.invocation_id']));
    expect(ids.size).toBe(spans.length);
    expect(requestIds.every((id) => ids.has(id))).toBe(true);

    // No timer, socket or listener more than after warm-up.
    expect(after.resources).toEqual(before.resources);
    expect(after.listeners).toEqual(before.listeners);

    // After a full collection nothing more is live: no span, buffer or state kept per invocation.
    expect(after.memory.heapUsed - before.memory.heapUsed).toBeLessThan(1 * MB);
    expect(after.memory.external - before.memory.external).toBeLessThan(1 * MB);
    expect(after.memory.arrayBuffers - before.memory.arrayBuffers).toBeLessThan(1 * MB);

    // What each invocation allocates dies young, so V8 has no reason to grow the young generation.
    const scavenges = after.scavenges ?? { count: 0, allocatedBytes: 0, survivedBytes: 0 };
    expect(scavenges.count).toBeGreaterThan(5);
    expect(scavenges.survivedBytes / SOAK).toBeLessThan(SURVIVED_PER_INVOCATION[runtime]);

    // V8 doubles the young generation once the bytes that survived its collections since it last
    // grew add up to its size, counted from the process's start: on nodejs24.x, with the layer, the
    // one step from 2 to 4 MB per semi-space comes at about the 4 000th invocation, and a change of
    // a few hundred KB in what survives during init moves it into this window or out of it (RSS
    // +4 MB when in). One step is not what the issue saw (growth to the maximum, every invocation's
    // span surviving): it is let through and counted out of RSS; a second is not.
    expect(after.newSpaceBytes).toBeLessThanOrEqual(2 * before.newSpaceBytes);
    const youngGrowth = Math.max(0, after.newSpaceBytes - before.newSpaceBytes);
    // The figure (measured on nodejs24.x: 1.1-2.3 MB with the layer, 8-13 MB before the
    // fix). On nodejs22.x the runtime alone adds 3-7 MB over this window (its young generation
    // grows whatever the layer does), so the bound there only catches a gross leak.
    const rssBound = runtime === 'nodejs24.x' ? 5 * MB : 12 * MB;
    expect(after.rssBytes - before.rssBytes - youngGrowth).toBeLessThan(rssBound);
  }, 180_000);
});

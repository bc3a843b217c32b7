import { createDiag } from '../../../src/diag';
import { afterResponsePolicy, deferralChooser, type Deferral } from '../../../src/export/after-response';
import type { Flusher } from '../../../src/export/flusher';

/**
 * A flusher that records each flush's bound at the (fake) time it was asked (`background` for one
 * not waited for), with `waitingSinceMs` spans waiting since that (fake) time.
 */
function recordingFlusher(waiting: { sinceMs?: number; count?: number } = {}) {
  const flushes: { at: number; bound: number; background?: true }[] = [];
  const flusher = {
    flush: async (bound: number) => void flushes.push({ at: Date.now(), bound }),
    flushInBackground: (bound: number) => void flushes.push({ at: Date.now(), bound, background: true }),
    flushBlocking: () => undefined,
    waitingSince: () => (waiting.sinceMs === undefined ? undefined : performance.now() - (Date.now() - waiting.sinceMs)),
    get waiting() {
      return waiting.count ?? 0;
    },
  } as unknown as Flusher;
  return { flusher, flushes };
}

const diag = createDiag('none');
const policyFor = (flusher: Flusher, deferral: Deferral = 'now') => afterResponsePolicy(flusher, 500, deferral, diag);

const START = 1_000_000;

describe('the after-response policy', () => {
  beforeEach(() => jest.useFakeTimers({ now: START }));
  afterEach(() => jest.useRealTimers());

  it('never holds the answer, and exports once the runtime has posted it', async () => {
    // Prepare
    const { flusher, flushes } = recordingFlusher();
    const policy = policyFor(flusher);
    const invocation = { requestId: 'r1', deadlineMs: START + 3000 };

    // Act: the extension gets the INVOKE event; the handler answers 20 ms later.
    const work = policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 3000 });
    await jest.advanceTimersByTimeAsync(20);
    expect(policy.beforeAnswer(invocation)).toBeUndefined();
    expect(flushes).toEqual([]);
    policy.afterAnswer(invocation);
    await work;

    // Assess: one flush, right after the answer, bounded by the flush timeout.
    expect(flushes).toEqual([{ at: START + 20, bound: 500 }]);
  });

  it('exports at once when the answer was out before the INVOKE event reached the extension', async () => {
    const { flusher, flushes } = recordingFlusher();
    const policy = policyFor(flusher);
    policy.afterAnswer({ requestId: 'r1', deadlineMs: START + 3000 });
    await policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 3000 });
    expect(flushes).toEqual([{ at: START, bound: 500 }]);
  });

  it('keeps the flush inside the deadline, less the layer\'s margin', async () => {
    const { flusher, flushes } = recordingFlusher();
    const policy = policyFor(flusher);
    policy.afterAnswer({ requestId: 'r1', deadlineMs: START + 300 });
    await policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 300 });
    expect(flushes).toEqual([{ at: START, bound: 250 }]);
  });

  it('lets the environment freeze shortly before the deadline when no answer was noticed', async () => {
    const { flusher, flushes } = recordingFlusher();
    const policy = policyFor(flusher);
    const work = policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 1000 });
    await jest.advanceTimersByTimeAsync(899);
    expect(flushes).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    await work;
    expect(flushes).toEqual([{ at: START + 900, bound: 50 }]);
  });

  it('does not mix up two invocations\' answers', async () => {
    const { flusher, flushes } = recordingFlusher();
    const policy = policyFor(flusher);
    policy.afterAnswer({ requestId: 'old', deadlineMs: START + 3000 });
    const work = policy.onInvoke({ eventType: 'INVOKE', requestId: 'new', deadlineMs: START + 3000 });
    await jest.advanceTimersByTimeAsync(10);
    expect(flushes).toEqual([]);
    policy.afterAnswer({ requestId: 'new', deadlineMs: START + 3000 });
    await work;
    expect(flushes).toEqual([{ at: START + 10, bound: 500 }]);
  });
});

describe('the deferred export', () => {
  beforeEach(() => jest.useFakeTimers({ now: START }));
  afterEach(() => jest.useRealTimers());

  it('leaves spans for later invocations while the oldest waited under 100 ms and fewer than 8 wait', async () => {
    for (const waiting of [{ sinceMs: START - 99, count: 3 }, { sinceMs: START, count: 7 }, {}]) {
      const { flusher, flushes } = recordingFlusher(waiting);
      const policy = policyFor(flusher, 'deferred');
      policy.afterAnswer({ requestId: 'r1', deadlineMs: START + 3000 });
      await policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 3000 });
      expect(flushes).toEqual([]);
    }
  });

  it('starts the export once the oldest span waited 100 ms, or 8 wait, and lets the environment freeze without its answer', async () => {
    for (const waiting of [{ sinceMs: START - 100, count: 3 }, { sinceMs: START - 1999, count: 3 }, { sinceMs: START, count: 8 }]) {
      const { flusher, flushes } = recordingFlusher(waiting);
      const policy = policyFor(flusher, 'deferred');
      policy.afterAnswer({ requestId: 'r1', deadlineMs: START + 3000 });
      await policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 3000 });
      expect(flushes).toEqual([{ at: START, bound: 5000, background: true }]);
    }
  });

  it('waits for the backend when spans waited 2 s already, or when 1000 do', async () => {
    for (const waiting of [{ sinceMs: START - 2000, count: 1 }, { sinceMs: START, count: 1000 }]) {
      const { flusher, flushes } = recordingFlusher(waiting);
      const policy = policyFor(flusher, 'deferred');
      policy.afterAnswer({ requestId: 'r1', deadlineMs: START + 3000 });
      await policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 3000 });
      expect(flushes).toEqual([{ at: START, bound: 500 }]);
    }
  });
});

describe('the adaptive choice (auto)', () => {
  it('defers while each of the last three invocations came within 2 s of the one before, and says when it changes', () => {
    const lines: string[] = [];
    const defers = deferralChooser('adaptive', createDiag('debug', (line) => lines.push(line)));
    const arrivals = [0, 500, 1000, 1500, 2000, 6000, 6100, 6200, 6300];
    expect(arrivals.map((at) => defers(at))).toEqual([false, false, false, true, true, false, false, false, true]);
    expect(lines).toEqual([
      expect.stringContaining('DEBUG export: deferred to the next invocations (the last 3 came within 2 s of each other)'),
      expect.stringContaining('DEBUG export: after each response (an invocation came 4 s after the one before)'),
      expect.stringContaining('DEBUG export: deferred to the next invocations'),
    ]);
  });

  it('never defers in after-response mode, always in deferred mode', () => {
    const never = deferralChooser('now', diag);
    const always = deferralChooser('deferred', diag);
    expect([0, 1, 2, 3, 4].map((at) => never(at))).toEqual([false, false, false, false, false]);
    expect([0, 10_000].map((at) => always(at))).toEqual([true, true]);
  });
});

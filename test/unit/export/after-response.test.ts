import { afterResponsePolicy } from '../../../src/export/after-response';
import type { Flusher } from '../../../src/export/flusher';

/** A flusher that records each flush's bound at the (fake) time it was asked. */
function recordingFlusher() {
  const flushes: { at: number; bound: number }[] = [];
  const flusher = {
    flush: async (bound: number) => void flushes.push({ at: Date.now(), bound }),
    flushBlocking: () => undefined,
  } as unknown as Flusher;
  return { flusher, flushes };
}

const START = 1_000_000;

describe('the after-response policy', () => {
  beforeEach(() => jest.useFakeTimers({ now: START }));
  afterEach(() => jest.useRealTimers());

  it('never holds the answer, and exports once the runtime has posted it', async () => {
    // Prepare
    const { flusher, flushes } = recordingFlusher();
    const policy = afterResponsePolicy(flusher, 500);
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
    const policy = afterResponsePolicy(flusher, 500);
    policy.afterAnswer({ requestId: 'r1', deadlineMs: START + 3000 });
    await policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 3000 });
    expect(flushes).toEqual([{ at: START, bound: 500 }]);
  });

  it('keeps the flush inside the deadline, less the layer\'s margin', async () => {
    const { flusher, flushes } = recordingFlusher();
    const policy = afterResponsePolicy(flusher, 500);
    policy.afterAnswer({ requestId: 'r1', deadlineMs: START + 300 });
    await policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 300 });
    expect(flushes).toEqual([{ at: START, bound: 250 }]);
  });

  it('lets the environment freeze shortly before the deadline when no answer was noticed', async () => {
    const { flusher, flushes } = recordingFlusher();
    const policy = afterResponsePolicy(flusher, 500);
    const work = policy.onInvoke({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: START + 1000 });
    await jest.advanceTimersByTimeAsync(899);
    expect(flushes).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    await work;
    expect(flushes).toEqual([{ at: START + 900, bound: 50 }]);
  });

  it('does not mix up two invocations\' answers', async () => {
    const { flusher, flushes } = recordingFlusher();
    const policy = afterResponsePolicy(flusher, 500);
    policy.afterAnswer({ requestId: 'old', deadlineMs: START + 3000 });
    const work = policy.onInvoke({ eventType: 'INVOKE', requestId: 'new', deadlineMs: START + 3000 });
    await jest.advanceTimersByTimeAsync(10);
    expect(flushes).toEqual([]);
    policy.afterAnswer({ requestId: 'new', deadlineMs: START + 3000 });
    await work;
    expect(flushes).toEqual([{ at: START + 10, bound: 500 }]);
  });
});

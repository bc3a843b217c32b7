import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INIT_SCOPE } from '../../src/init/trace-init';
import { OtlpReceiver, type ReceivedSpan } from './sandbox/otlp-receiver';
import { LAYER_WRAPPER, PROJECT_NODE_MODULES } from './paths';
import { Sandbox, type InvokeResult, type SandboxOptions } from './sandbox/sandbox';

export { LAYER_WRAPPER } from './paths';

/**
 * What a caller can observe of an answer, less what differs between any two runs: timings,
 * request ids, and stack traces (which name the frames the answer passed through).
 */
export function comparable(result: InvokeResult | { errorType: string; errorMessage: string }): Record<string, unknown> {
  const { kind, payload, raw, streamed, errorType, errorMessage } = result as Record<string, unknown>;
  const body = kind === 'success' && Buffer.isBuffer(raw) ? raw.toString('utf8') : undefined;
  return { kind, payload, body, streamed, errorType, errorMessage };
}

/** Runs `fn` against a sandbox started with the layer, and always shuts it down. */
export async function withLayer<T>(options: Omit<SandboxOptions, 'wrapper'>, fn: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await Sandbox.start({ ...options, wrapper: LAYER_WRAPPER });
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.shutdown();
  }
}

/**
 * A receiver's `keep` for the tests of other concerns than the init: they count and compare the
 * invocations' spans, and the first invocation's trace also holds the init's (init.test.ts).
 */
const withoutInitSpans = (span: ReceivedSpan): boolean => span.scope.name !== INIT_SCOPE;

/**
 * One receiver per describe block, emptied and answering normally before each test. The init's
 * spans are left out unless `initSpans` asks for them.
 */
export function useReceiver({ initSpans = false }: { initSpans?: boolean } = {}): () => OtlpReceiver {
  let receiver: OtlpReceiver | undefined;
  beforeAll(async () => {
    receiver = await OtlpReceiver.start({}, { keep: initSpans ? undefined : withoutInitSpans });
  });
  afterAll(() => receiver?.close());
  beforeEach(() => {
    receiver?.reset();
    receiver?.setBehaviour({});
  });
  return () => {
    if (receiver === undefined) throw new Error('the receiver starts in beforeAll');
    return receiver;
  };
}

/** Gives a task root the project's @opentelemetry/api, as a function that creates its own spans has. */
export function linkOtelApi(taskRoot: string): string {
  return linkPackages(taskRoot, { '@opentelemetry/api': '@opentelemetry/api' });
}

/**
 * Puts packages of the project's node_modules into a task root's node_modules, as symlinks:
 * `{ name in the function: package in the project }` (an alias such as `otel-api-old` gives a
 * function another version). Node follows the links, so each package's own dependencies resolve
 * in the project.
 */
export function linkPackages(taskRoot: string, packages: Readonly<Record<string, string>>): string {
  for (const [name, source] of Object.entries(packages)) {
    const link = join(taskRoot, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(PROJECT_NODE_MODULES, source), link);
  }
  return taskRoot;
}

import type { Context } from '@opentelemetry/api';

/**
 * The empty context every invocation's context grows from, in place of the API's `ROOT_CONTEXT`:
 * the same immutable key-value map, with its methods on the prototype. `setValue` returns a
 * context of the same class, so the propagators' contexts, the invocation span's and those the
 * instrumentations derive while the handler runs are all of this kind.
 *
 * Why not `ROOT_CONTEXT`: the API's `BaseContext` constructor assigns three fresh closures to every
 * context. Objects given fresh closures that way outlive V8's young-generation collections, in
 * the runtime process, far more often than their lifetime explains, and a context takes the
 * invocation span it holds with it. Every invocation's span then reached the old generation,
 * and V8 grew the young generation to its maximum (4 to 16 MiB at 128 MB of memory): RSS climbed
 * in steps while a full collection found nothing live. Measured in the sandbox on nodejs24.x over
 * 3 500 warm invocations: a function creating one such context per invocation, holding a span,
 * kept 8.3 % of what it allocated through each young collection; the same with this class, 0.1 %,
 * as much as with no context at all. The layer's own figure went from 3 650-5 870 bytes per
 * invocation to 200-680 (test/e2e/soak.test.ts).
 */
class PlainContext implements Context {
  private readonly values: Map<symbol, unknown>;

  constructor(values?: ReadonlyMap<symbol, unknown>) {
    this.values = new Map(values);
  }

  getValue(key: symbol): unknown {
    return this.values.get(key);
  }

  setValue(key: symbol, value: unknown): Context {
    const context = new PlainContext(this.values);
    context.values.set(key, value);
    return context;
  }

  deleteValue(key: symbol): Context {
    const context = new PlainContext(this.values);
    context.values.delete(key);
    return context;
  }
}

export const PLAIN_ROOT_CONTEXT: Context = new PlainContext();

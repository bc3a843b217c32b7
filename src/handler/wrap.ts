import { context as otelContext } from '@opentelemetry/api';
import type { Diag } from '../diag';
import { describeError } from '../diag';
import type { Invocation } from '../invocation/invocation';
import { asLambdaContext } from '../invocation/lambda-context';
import { callbackAnswerPath } from '../runtime/timing';
import type { UserFunction } from './load';

export const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

export interface InvocationStarter {
  start(event: unknown, lambdaContext: unknown): Invocation;
}

type Callback = (error?: unknown, result?: unknown) => void;

/**
 * Wraps the user's handler in one function that serves every calling convention: promise,
 * callback (3.x runtime) and response streaming. What the runtime inspects on the exported
 * function (`length` for the 4.x callback check, the streaming symbols) is copied, so the
 * runtime treats the wrapper exactly as it would treat the original.
 */
export function wrapHandler(original: UserFunction, starter: InvocationStarter, diag: Diag): UserFunction {
  const streaming = Boolean((original as unknown as Record<symbol, unknown>)[HANDLER_STREAMING]);

  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const invocation = startSafely(starter, args[0], streaming ? args[2] : args[1], diag);
    if (invocation === undefined) return original.apply(this, args);
    if (!streaming && typeof args[2] === 'function') {
      args[2] = wrapCallback(args[2] as Callback, args[1], invocation);
      wrapContextCompletion(args[1], invocation);
    }

    let result: unknown;
    try {
      result = otelContext.with(invocation.context, () => original.apply(this, args));
    } catch (error) {
      void invocation.answer({ error }, 'after-settle');
      throw error;
    }
    if (isThenable(result)) {
      return result.then(
        (value) => {
          const waiting = invocation.answer({ result: value }, 'after-settle');
          return waiting === undefined ? value : waiting.then(() => value);
        },
        (error: unknown) => {
          const waiting = invocation.answer({ error }, 'after-settle');
          if (waiting === undefined) throw error;
          return waiting.then(() => Promise.reject(error));
        },
      );
    }
    // A plain return value. The 4.x runtime awaits whatever a (two-argument) handler returns, so
    // a promise is equivalent there. On 3.x the answer comes through the callback, which ends
    // the invocation; a streaming handler that returns no promise is an error the runtime must
    // still see.
    if (streaming) {
      void invocation.answer({ result }, 'after-settle');
      return result;
    }
    if (args.length < 3) return invocation.answer({ result }, 'after-settle')?.then(() => result) ?? result;
    return result;
  };

  copyRuntimeVisibleProperties(original, wrapped);
  return wrapped;
}

/**
 * The callback answers at once unless the export policy makes the answer wait; what the runtime's
 * callback returns or throws goes back to the caller either way.
 */
function wrapCallback(callback: Callback, lambdaContext: unknown, invocation: Invocation): Callback {
  return (error?: unknown, result?: unknown) => {
    const path = callbackAnswerPath(asLambdaContext(lambdaContext).callbackWaitsForEmptyEventLoop);
    const waiting = invocation.answer({ error, result }, path);
    if (waiting === undefined) return callback(error, result);
    return waiting.then(() => callback(error, result));
  };
}

type Completion = (...args: unknown[]) => unknown;
type Outcome = Parameters<Invocation['answer']>[0];

/** How each of the 3.x context's legacy completion methods reports its outcome. */
const CONTEXT_COMPLETIONS: ReadonlyArray<readonly [string, (...args: unknown[]) => Outcome]> = [
  ['done', (error, result) => ({ error, result })],
  ['succeed', (result) => ({ result })],
  ['fail', (error) => ({ error: error ?? 'handled' })],
];

/**
 * The 3.x runtime also answers through `context.done/succeed/fail`, which post at once and bypass
 * the callback. Without this the span would never end, and in after-response mode the extension
 * would hold the environment until the deadline.
 */
function wrapContextCompletion(lambdaContext: unknown, invocation: Invocation): void {
  if (typeof lambdaContext !== 'object' || lambdaContext === null) return;
  const target = lambdaContext as Record<string, unknown>;
  for (const [name, outcome] of CONTEXT_COMPLETIONS) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    target[name] = (...args: unknown[]) => {
      const answer = (): unknown => (original as Completion).apply(lambdaContext, args);
      const waiting = invocation.answer(outcome(...args), 'after-settle');
      // The 3.x runtime itself calls these on the handler's promise (`.then(succeed, fail)
      // .catch(fail)`): a throw, or a rejection of what we return, must reach its `.catch`.
      return waiting === undefined ? answer() : waiting.then(answer);
    };
  }
}

function startSafely(starter: InvocationStarter, event: unknown, lambdaContext: unknown, diag: Diag): Invocation | undefined {
  try {
    return starter.start(event, lambdaContext);
  } catch (error) {
    diag.once('start-invocation', 'error', `could not start the invocation span, running untraced: ${describeError(error)}`);
    return undefined;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const OWN_FUNCTION_KEYS = new Set<string | symbol>(['length', 'name', 'prototype', 'arguments', 'caller']);

function copyRuntimeVisibleProperties(from: UserFunction, to: UserFunction): void {
  Object.defineProperty(to, 'length', { value: from.length, configurable: true });
  Object.defineProperty(to, 'name', { value: from.name, configurable: true });
  for (const key of Reflect.ownKeys(from)) {
    if (OWN_FUNCTION_KEYS.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(from, key);
    if (descriptor) Object.defineProperty(to, key, descriptor);
  }
}

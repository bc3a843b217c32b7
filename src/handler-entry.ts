/**
 * The module the runtime loads as the handler once the preload rewrote `_HANDLER`. It loads the
 * user's handler with the runtime's own rules and exports it wrapped.
 */
import { createRequire } from 'node:module';
import { describeError } from './diag';
import { loadUserFunction, loaderStyleFor, type UserFunction } from './handler/load';
import { takeRedirect } from './handler/redirect';
import { HandlerNotFound } from './handler/runtime-errors';
import { wrapHandler } from './handler/wrap';

async function loadWrappedHandler(): Promise<UserFunction> {
  const redirect = takeRedirect(process.env);
  if (redirect === undefined) {
    throw new HandlerNotFound('lambda-otel-preload: the handler module was loaded without its preload');
  }
  try {
    redirect.beforeUserCode();
  } catch (error) {
    redirect.diag.error(`client instrumentations are off: ${describeError(error)}`);
  }
  const original = await loadUserFunction({
    taskRoot: redirect.taskRoot,
    ref: redirect.ref,
    style: loaderStyleFor(Number.parseInt(process.versions.node, 10)),
    // The runtime's own require: its error messages name the runtime's entry file, as without us.
    runtimeRequire: createRequire(process.argv[1] ?? import.meta.url),
    importModule: (specifier) => import(specifier),
  });
  try {
    return wrapHandler(original, redirect.starter, redirect.diag);
  } catch (error) {
    redirect.diag.error(`could not wrap the handler, running untraced: ${describeError(error)}`);
    return original;
  }
}

export const handler = await loadWrappedHandler();

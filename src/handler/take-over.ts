import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describeError } from '../diag';
import { loadUserFunction, loaderStyleFor, type UserFunction } from './load';
import { takeRedirect } from './redirect';
import { HandlerNotFound } from './runtime-errors';
import { wrapHandler } from './wrap';

/**
 * What the layer's handler module exports as the handler: the user's function, loaded with the
 * runtime's own rules after the start-up hooks are armed, and wrapped. Called once, by the
 * handler module the preload pointed `_HANDLER` at, with the environment whose `_HANDLER` it
 * puts back.
 */
export async function loadWrappedHandler(env: NodeJS.ProcessEnv): Promise<UserFunction> {
  const redirect = takeRedirect(env);
  if (redirect === undefined) {
    throw new HandlerNotFound('lambda-otel-preload: the handler module was loaded without its preload');
  }
  try {
    redirect.beforeUserCode();
  } catch (error) {
    redirect.diag.error(`client instrumentations are off: ${describeError(error)}`);
  }
  let original: UserFunction;
  try {
    redirect.init.mark('function-load-start');
    original = await loadUserFunction({
      taskRoot: redirect.taskRoot,
      ref: redirect.ref,
      style: loaderStyleFor(Number.parseInt(process.versions.node, 10)),
      // The runtime's own require: its error messages name the runtime's entry file, as without us,
      // by its real path, as Node's loader names the main module.
      runtimeRequire: createRequire(runtimeEntry()),
      importModule: (specifier) => import(specifier),
    });
    redirect.init.mark('function-load-end');
  } catch (error) {
    // The runtime reports this error as the init's: it must read as it would without the layer.
    redirect.init.ready();
    await redirect.init.restoreSyntaxError(error, (specifier) => import(specifier));
    throw error;
  } finally {
    redirect.init.ready();
  }
  try {
    return wrapHandler(original, redirect.starter, redirect.diag);
  } catch (error) {
    redirect.diag.error(`could not wrap the handler, running untraced: ${describeError(error)}`);
    return original;
  }
}

function runtimeEntry(): string {
  const entry = process.argv[1];
  if (entry === undefined) return import.meta.url;
  try {
    return realpathSync(entry);
  } catch {
    return entry;
  }
}

import { SAVED_HANDLER_ENV } from '../config/settings';
import type { Diag } from '../diag';
import { HANDLER_EXPORT, HANDLER_MODULE } from '../layer-files';
import type { InitRecorder } from '../init/recorder';
import type { HandlerRef } from './resolve';
import type { InvocationStarter } from './wrap';

/** What the preload hands to the handler module the runtime loads in place of the user's. */
export interface Redirect {
  readonly ref: HandlerRef;
  readonly taskRoot: string;
  readonly starter: InvocationStarter;
  readonly diag: Diag;
  /** Start-up hooks that must see the user's code load, but not the runtime's: run right before it. */
  readonly beforeUserCode: () => void;
  /** Notes when the function's load starts and ends, and when the handler is ready. */
  readonly init: InitRecorder;
}

let pending: Redirect | undefined;

function redirectTarget(layerDir: string): string {
  return `${layerDir}/${HANDLER_MODULE}.${HANDLER_EXPORT}`;
}

/**
 * The function's own handler string. A worker thread of Lambda Managed Instances copies the
 * environment its main thread's preload left: `_HANDLER` then already names our handler module,
 * and the function's value is the one saved beside it.
 */
export function functionHandler(handler: string | undefined, saved: string | undefined, layerDir: string): string | undefined {
  return handler === redirectTarget(layerDir) ? saved : handler;
}

/**
 * Points the runtime at our handler module by rewriting `_HANDLER`, which the runtime reads only
 * after the preloads ran, and saves the original for worker threads that copy this environment.
 * The handler module restores the original value before any user code runs, so the function sees
 * the `_HANDLER` it would see without the layer.
 */
export function redirectHandler(env: NodeJS.ProcessEnv, layerDir: string, redirect: Redirect): void {
  pending = redirect;
  env[SAVED_HANDLER_ENV] = redirect.ref.full;
  env._HANDLER = redirectTarget(layerDir);
}

/** Called once by the handler module; also puts the original `_HANDLER` back. */
export function takeRedirect(env: NodeJS.ProcessEnv): Redirect | undefined {
  const taken = pending;
  pending = undefined;
  if (taken) {
    env._HANDLER = taken.ref.full;
    delete env[SAVED_HANDLER_ENV];
  }
  return taken;
}

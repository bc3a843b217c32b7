/**
 * The module the runtime loads as the handler once the preload rewrote `_HANDLER`. It is built as
 * a file of its own that imports the already evaluated preload (the same module instance, so the
 * same redirect state), and exports the wrapped user handler.
 */
import { loadWrappedHandler } from './preload';

export const handler = await loadWrappedHandler(process.env);

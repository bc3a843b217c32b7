/**
 * The layer's files as Lambda unpacks them under /opt, named once for everything that refers to
 * them: the build writes them (layer/build.mjs loads this module), the wrapper script finds the
 * preload (the build fills its name into wrapper/otel-wrapper.in), the preload points `_HANDLER`
 * at the handler module and loads the exporter and the instrumentations from beside itself.
 *
 *   otel-wrapper                               AWS_LAMBDA_EXEC_WRAPPER
 *   otel-preload/preload.mjs                   loaded with --import
 *   otel-preload/otel-handler.mjs              what `_HANDLER` names while the layer is on
 *   otel-preload/exporters/otlp.mjs            the OTLP exporter, loaded on the first export
 *   otel-preload/instrumentations.cjs          the client instrumentations, loaded on first use
 *   otel-preload/payload/capture.mjs           payload capture, loaded when LAMBDA_OTEL_CAPTURE_PAYLOAD is on
 *   otel-preload/init/spans.mjs                the init's spans, built when the first invocation's spans leave
 *   otel-preload/VERSION                       the layer's version
 *
 * Every path but the wrapper's is relative to PRELOAD_DIR. Nothing here may import code: the
 * build loads this file on its own.
 */

/** The layer's name: its telemetry.distro.name, the prefix of its diagnostics. */
export const LAYER_NAME = 'lambda-otel-preload';

export const WRAPPER_FILE = 'otel-wrapper';
export const PRELOAD_DIR = 'otel-preload';
export const PRELOAD_FILE = 'preload.mjs';

/** The handler module's base name: `_HANDLER` becomes `<preload dir>/otel-handler.handler`. */
export const HANDLER_MODULE = 'otel-handler';
export const HANDLER_EXPORT = 'handler';
export const HANDLER_FILE = `${HANDLER_MODULE}.mjs`;

export const OTLP_EXPORTER_FILE = 'exporters/otlp.mjs';
export const PAYLOAD_CAPTURE_FILE = 'payload/capture.mjs';
export const INIT_SPANS_FILE = 'init/spans.mjs';

/** A plain-text file holding the layer's version (package.json's), for `cat /opt/otel-preload/VERSION`. */
export const VERSION_FILE = 'VERSION';

/** CommonJS, unlike the other files: see layer/build.mjs. */
export const INSTRUMENTATIONS_FILE = 'instrumentations.cjs';

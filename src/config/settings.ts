/**
 * The one table of user-facing settings. `load.ts` may only read names listed here (or the
 * Lambda-provided names in `LAMBDA_ENV`), and the README's reference table is checked against
 * this list by a test, so a setting cannot exist without being documented.
 */
export interface SettingDoc {
  readonly default: string;
  readonly doc: string;
}

export const SETTINGS = {
  OTEL_SDK_DISABLED: {
    default: 'false',
    doc: '`true` turns the layer off: the wrapper starts the runtime untouched.',
  },
  OTEL_SERVICE_NAME: {
    default: 'the function name',
    doc: '`service.name` of every span; wins over `service.name` in `OTEL_RESOURCE_ATTRIBUTES`.',
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    default: '(none)',
    doc: 'Extra resource attributes, `key1=value1,key2=value2` (values percent-decoded).',
  },
  OTEL_TRACES_EXPORTER: {
    default: 'otlp',
    doc: '`otlp` sends OTLP/HTTP, `console` prints spans to stdout, `none` drops them.',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    default: 'http://localhost:4318',
    doc: 'Base URL of the OTLP/HTTP receiver; `/v1/traces` is appended.',
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    default: '(from OTEL_EXPORTER_OTLP_ENDPOINT)',
    doc: 'Full URL for traces, used as is; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`.',
  },
  OTEL_EXPORTER_OTLP_HEADERS: {
    default: '(none)',
    doc: 'Headers sent with every export, `key1=value1,key2=value2` (values percent-decoded).',
  },
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: {
    default: '(from OTEL_EXPORTER_OTLP_HEADERS)',
    doc: 'Trace-only headers; merged over `OTEL_EXPORTER_OTLP_HEADERS`, winning on equal keys.',
  },
  OTEL_EXPORTER_OTLP_TIMEOUT: {
    default: '10000',
    doc: 'Timeout of one export request in milliseconds (the flush bound may cut it shorter).',
  },
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: {
    default: '(from OTEL_EXPORTER_OTLP_TIMEOUT)',
    doc: 'Trace-only export timeout in milliseconds.',
  },
  OTEL_EXPORTER_OTLP_COMPRESSION: {
    default: 'none',
    doc: '`gzip` compresses export bodies; `none` sends them as they are.',
  },
  OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: {
    default: '(from OTEL_EXPORTER_OTLP_COMPRESSION)',
    doc: 'Trace-only compression.',
  },
  OTEL_EXPORTER_OTLP_PROTOCOL: {
    default: 'http/protobuf',
    doc: '`http/protobuf` or `http/json` (`grpc` is not supported and falls back to `http/protobuf`).',
  },
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: {
    default: '(from OTEL_EXPORTER_OTLP_PROTOCOL)',
    doc: 'Trace-only protocol.',
  },
  OTEL_TRACES_SAMPLER: {
    default: 'parentbased_always_on',
    doc: '`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio`.',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    default: '1.0',
    doc: 'Ratio for the `traceidratio` samplers, from 0 to 1.',
  },
  OTEL_PROPAGATORS: {
    default: 'tracecontext,baggage',
    doc: 'Comma-separated: `tracecontext`, `baggage`, `xray`, `none`. Used to read incoming HTTP headers and message attributes, and to write outgoing requests.',
  },
  OTEL_LOG_LEVEL: {
    default: 'info',
    doc: 'Level of the layer\'s own diagnostics on stderr: `none`, `error`, `warn`, `info`, `debug`, `verbose`, `all`.',
  },
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: {
    default: 'aws-sdk,http,undici',
    doc: 'Comma-separated client instrumentations to load: `aws-sdk`, `http` (node:http/https), `undici` (global `fetch`). Only these are loaded, each when the function first uses what it instruments.',
  },
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: {
    default: '(none)',
    doc: 'Comma-separated instrumentations to leave out; applied after `OTEL_NODE_ENABLED_INSTRUMENTATIONS`.',
  },
  OTEL_BSP_SCHEDULE_DELAY: {
    default: '5000',
    doc: 'In `batch` export mode: milliseconds between two exports.',
  },
  LAMBDA_OTEL_XRAY_CONTEXT: {
    default: 'link',
    doc: 'What the Lambda X-Ray trace header (`_X_AMZN_TRACE_ID`) becomes: `parent` of the invocation span when no W3C parent came with the event (the X-Ray sampling decision is then followed), a span `link` (only when sampled), or `off`.',
  },
  LAMBDA_OTEL_CAPTURE_URL_QUERY: {
    default: 'false',
    doc: '`true` records `url.query` of HTTP-triggered invocations (query strings may carry secrets).',
  },
  LAMBDA_OTEL_EXPORT_MODE: {
    default: 'auto',
    doc: 'When spans leave: `after-response` (an internal extension exports once the caller has its answer), `sync` (before the answer), `batch` (on a timer, for managed instances); `auto` picks `batch` on managed instances, else `after-response` when the extension can register, else `sync`.',
  },
  LAMBDA_OTEL_FLUSH_TIMEOUT_MS: {
    default: '500',
    doc: 'Upper bound in milliseconds on one invocation\'s export (and on the shutdown flush); also kept 50 ms inside the function\'s remaining time.',
  },
} as const satisfies Record<string, SettingDoc>;

export type SettingName = keyof typeof SETTINGS;

/** Variables Lambda sets for every function; read here too, so `config/` stays the only reader. */
export const LAMBDA_ENV = [
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_RUNTIME_API',
  'AWS_LAMBDA_MAX_CONCURRENCY',
  'AWS_REGION',
  'LAMBDA_TASK_ROOT',
  '_HANDLER',
] as const;

export type LambdaEnvName = (typeof LAMBDA_ENV)[number];

/**
 * Where the preload keeps the function's own `_HANDLER` while `_HANDLER` points at the layer's
 * handler module. Worker threads (Lambda Managed Instances) copy the environment the main
 * thread's preload left, so a worker's preload finds its `_HANDLER` already redirected and reads
 * the function's handler here. The handler module deletes it before user code runs.
 */
export const SAVED_HANDLER_ENV = '_LAMBDA_OTEL_HANDLER';

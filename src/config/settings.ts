import type { SettingSpec, ValueOfSpec } from './parse';

/**
 * The one table of user-facing settings, as plain data: each declares its kind (which parser
 * reads it), default, choices and description once. `load.ts` builds the typed `Config` from it
 * through `read(NAME)`, the README's table is rendered from it (`npm run readme:settings`), and
 * the tests run every entry through hostile values.
 *
 * To add a setting:
 * 1. Add an entry here: `NAME: { kind, default, doc }`. The kinds are in `parse.ts`
 *    (`SettingSpec`): `flag`, `millis`, `ratio`, `text`, `httpUrl`, `oneOf` and `listOf` (with
 *    `choices`, each named in backticks in `doc`; optional `unsupported` words with advice),
 *    `keyValues`, `headers`. A default derived from something else is `undefined`, with
 *    `shownDefault` saying where it comes from.
 * 2. Add its field to `Config` in `load.ts`, typed `ValueOf<'NAME'>`, and set it in `loadConfig`
 *    with `read('NAME')`, or `read('NAME', fallback)` when it falls back to another setting
 *    (the precedence chain of that field, in one expression).
 * 3. Run `npm run readme:settings`.
 */
export const SETTINGS = {
  OTEL_SDK_DISABLED: {
    kind: 'flag',
    default: false,
    doc: '`true` turns the layer off: the wrapper starts the runtime untouched.',
  },
  OTEL_SERVICE_NAME: {
    kind: 'text',
    default: undefined,
    shownDefault: 'the function name',
    doc: '`service.name` of every span; wins over `service.name` in `OTEL_RESOURCE_ATTRIBUTES`.',
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    kind: 'keyValues',
    doc: 'Extra resource attributes, `key1=value1,key2=value2` (values percent-decoded).',
  },
  OTEL_TRACES_EXPORTER: {
    kind: 'listOf',
    choices: ['otlp', 'console', 'none'],
    default: ['otlp'],
    unsupported: {
      logging: 'use console',
      zipkin: 'use otlp (Zipkin and Jaeger accept OTLP)',
      jaeger: 'use otlp (Jaeger accepts OTLP)',
    },
    doc: 'Comma-separated: `otlp` sends OTLP/HTTP, `console` prints spans to stdout (both: spans go to each); `none` alone drops them.',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    kind: 'httpUrl',
    default: 'http://localhost:4318',
    doc: 'Base URL of the OTLP/HTTP receiver; `/v1/traces` is appended.',
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    kind: 'httpUrl',
    default: undefined,
    shownDefault: '(from OTEL_EXPORTER_OTLP_ENDPOINT)',
    doc: 'Full URL for traces, used as is; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`.',
  },
  OTEL_EXPORTER_OTLP_HEADERS: {
    kind: 'headers',
    doc: 'Headers sent with every export, `name1=value1,name2=value2` (values percent-decoded). Names must be HTTP tokens, values Latin-1 without control characters; warnings name a rejected header, never its value.',
  },
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: {
    kind: 'headers',
    shownDefault: '(from OTEL_EXPORTER_OTLP_HEADERS)',
    doc: 'Trace-only headers; merged over `OTEL_EXPORTER_OTLP_HEADERS`, winning on equal names.',
  },
  OTEL_EXPORTER_OTLP_TIMEOUT: {
    kind: 'millis',
    default: 10_000,
    doc: 'Timeout of one export request in milliseconds (the flush bound may cut it shorter).',
  },
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: {
    kind: 'millis',
    default: undefined,
    shownDefault: '(from OTEL_EXPORTER_OTLP_TIMEOUT)',
    doc: 'Trace-only export timeout in milliseconds.',
  },
  OTEL_EXPORTER_OTLP_COMPRESSION: {
    kind: 'oneOf',
    choices: ['gzip', 'none'],
    default: 'none',
    doc: '`gzip` compresses export bodies; `none` sends them as they are.',
  },
  OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: {
    kind: 'oneOf',
    choices: ['gzip', 'none'],
    default: undefined,
    shownDefault: '(from OTEL_EXPORTER_OTLP_COMPRESSION)',
    doc: 'Trace-only compression: `gzip` or `none`.',
  },
  OTEL_EXPORTER_OTLP_PROTOCOL: {
    kind: 'oneOf',
    choices: ['http/protobuf', 'http/json'],
    default: 'http/protobuf',
    unsupported: { grpc: 'the layer exports over HTTP; use http/protobuf (a collector listens on port 4318 for it)' },
    doc: '`http/protobuf` or `http/json` (`grpc` is not supported and falls back to `http/protobuf`).',
  },
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: {
    kind: 'oneOf',
    choices: ['http/protobuf', 'http/json'],
    default: undefined,
    shownDefault: '(from OTEL_EXPORTER_OTLP_PROTOCOL)',
    unsupported: { grpc: 'the layer exports over HTTP; use http/protobuf (a collector listens on port 4318 for it)' },
    doc: 'Trace-only protocol: `http/protobuf` or `http/json`.',
  },
  OTEL_TRACES_SAMPLER: {
    kind: 'oneOf',
    choices: ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'],
    default: 'parentbased_always_on',
    unsupported: {
      xray: 'to follow X-Ray\'s sampling decision use parentbased_always_on with LAMBDA_OTEL_XRAY_CONTEXT=parent',
      jaeger_remote: 'use traceidratio',
      parentbased_jaeger_remote: 'use parentbased_traceidratio',
    },
    doc: '`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio`.',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    kind: 'ratio',
    default: 1,
    doc: 'Ratio for the `traceidratio` samplers, from 0 to 1.',
  },
  LAMBDA_OTEL_SAMPLING: {
    kind: 'oneOf',
    choices: ['head', 'tail'],
    default: 'head',
    doc: 'When the layer decides which traces to keep: `head`, as each trace starts, with `OTEL_TRACES_SAMPLER`; `tail`, once each invocation has ended, keeping every invocation that matches `LAMBDA_OTEL_SAMPLING_KEEP` and `LAMBDA_OTEL_SAMPLING_RATIO` of the others (see [Tail sampling](#tail-sampling)).',
  },
  LAMBDA_OTEL_SAMPLING_RATIO: {
    kind: 'ratio',
    default: 0.1,
    doc: 'With `tail` sampling: the share of the other invocations kept, from 0 to 1, chosen by trace id and written as the sampling threshold `ot=th:…` in every kept span\'s tracestate.',
  },
  LAMBDA_OTEL_SAMPLING_KEEP: {
    kind: 'listOf',
    choices: ['error', 'timeout', 'crash', 'coldstart', 'slow', 'none'],
    default: ['error', 'timeout', 'crash', 'coldstart', 'slow'],
    doc: 'With `tail` sampling: the invocations always kept, comma-separated: `error` (an error or a 5xx answer), `timeout`, `crash` (the process died), `coldstart`, `slow` (see `LAMBDA_OTEL_SAMPLING_SLOW`); `none` alone keeps only the ratio.',
  },
  LAMBDA_OTEL_SAMPLING_SLOW: {
    kind: 'millisOrPercentile',
    default: { percentile: 99 },
    doc: 'With `tail` sampling: what `slow` means, a duration in milliseconds (`800`) or a percentile of the last 1000 invocations of this process (`p99`: slower than 99 % of them; from `p1` to `p99.9`; worker thread on managed instances).',
  },
  LAMBDA_OTEL_SAMPLING_UNSAMPLED_PARENT: {
    kind: 'oneOf',
    choices: ['follow', 'keep-errors'],
    default: 'follow',
    doc: 'With `tail` sampling, when the event carries a parent that was not sampled: `follow` it (nothing is recorded), or `keep-errors`, which records the invocation and keeps it on an error, timeout or crash (the trace then lacks its upstream part). A sampled parent always keeps the whole invocation.',
  },
  OTEL_PROPAGATORS: {
    kind: 'listOf',
    choices: ['tracecontext', 'baggage', 'xray', 'xray-lambda', 'none'],
    default: ['tracecontext', 'baggage'],
    unsupported: {
      b3: 'this layer has no B3 propagator; use tracecontext',
      b3multi: 'this layer has no B3 propagator; use tracecontext',
      jaeger: 'this layer has no Jaeger propagator; use tracecontext',
      ottrace: 'this layer has no OT Trace propagator; use tracecontext',
    },
    doc: 'Comma-separated: `tracecontext`, `baggage`, `xray`, `xray-lambda` (as in the upstream OpenTelemetry layer: `xray`, and the Lambda X-Ray header as parent, i.e. `LAMBDA_OTEL_XRAY_CONTEXT=parent` unless that is set), `none` (alone). Used to read incoming HTTP headers and message attributes, and to write outgoing requests.',
  },
  OTEL_LOG_LEVEL: {
    kind: 'oneOf',
    choices: ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'],
    default: 'info',
    doc: 'Level of the layer\'s own diagnostics on stderr: `none`, `error`, `warn`, `info`, `debug`, `verbose`, `all`.',
  },
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: {
    kind: 'listOf',
    choices: ['aws-sdk', 'http', 'undici'],
    default: ['aws-sdk', 'http', 'undici'],
    unsupported: { 'aws-lambda': 'the layer traces every invocation itself; leave it out' },
    doc: 'Comma-separated client instrumentations to load: `aws-sdk`, `http` (node:http/https), `undici` (global `fetch`). Only these are loaded, each when the function first uses what it instruments.',
  },
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: {
    kind: 'listOf',
    choices: ['aws-sdk', 'http', 'undici'],
    default: [],
    shownDefault: '(none)',
    doc: 'Comma-separated instrumentations to leave out (`aws-sdk`, `http`, `undici`); applied after `OTEL_NODE_ENABLED_INSTRUMENTATIONS`.',
  },
  OTEL_BSP_SCHEDULE_DELAY: {
    kind: 'millis',
    default: 5000,
    doc: 'In `batch` export mode: milliseconds between two exports.',
  },
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: {
    kind: 'count',
    default: 512,
    doc: 'In `batch` export mode: spans are exported as soon as this many wait, without waiting for the next tick.',
  },
  OTEL_BSP_MAX_QUEUE_SIZE: {
    kind: 'count',
    default: 2048,
    doc: 'Most spans waiting for export (ended, or kept after a failed export); past it, new ones are dropped and counted (`lambda_otel.spans_dropped.buffer_full`).',
  },
  LAMBDA_OTEL_XRAY_CONTEXT: {
    kind: 'oneOf',
    choices: ['parent', 'link', 'off'],
    default: 'link',
    shownDefault: '`link` (`parent` with `xray-lambda` in OTEL_PROPAGATORS)',
    doc: 'What the Lambda X-Ray trace header (`_X_AMZN_TRACE_ID`) becomes: `parent` of the invocation span when no W3C parent came with the event (the X-Ray sampling decision is then followed), a span `link` (only when sampled), or `off`.',
  },
  LAMBDA_OTEL_CAPTURE_URL_QUERY: {
    kind: 'flag',
    default: false,
    doc: '`true` records query strings (which may carry secrets): `url.query` of HTTP-triggered invocations, and the values in `url.full` of outgoing calls (by default each value reads `REDACTED`). Values of signing keys (`X-Amz-*`, `Signature`, `sig`, …) and of keys that look like secrets stay redacted.',
  },
  LAMBDA_OTEL_LOG_CORRELATION: {
    kind: 'flag',
    default: false,
    doc: '`true` adds the active span\'s `trace_id`, `span_id` and `trace_flags` to every line the function writes through `console` during an invocation (see [log correlation](#log-correlation)). Off by default: it costs each line about 0.65 µs of CPU and 80 to 93 bytes of CloudWatch Logs.',
  },
  LAMBDA_OTEL_CAPTURE_PAYLOAD: {
    kind: 'flag',
    default: false,
    doc: '`true` records the event and the result on the invocation span (and, for HTTP triggers, the request headers and body), redacted and capped (see [payload capture](#payload-capture-and-privacy)).',
  },
  LAMBDA_OTEL_REDACT_KEYS: {
    kind: 'text',
    default: undefined,
    shownDefault: '(none)',
    doc: 'Comma-separated words added to the keys whose values are redacted (`password`, `secret`, `token`, …): a key, header or query parameter whose name contains one, ignoring case, `-`, `_`, `.` and spaces, has its value replaced by `REDACTED`.',
  },
  LAMBDA_OTEL_EXPORT_MODE: {
    kind: 'oneOf',
    choices: ['auto', 'after-response', 'deferred', 'sync', 'batch'],
    default: 'auto',
    doc: 'When spans leave: `after-response` (an internal extension exports once the caller has its answer, and the environment freezes once the backend answered), `deferred` (the same, but spans wait for later invocations and leave together once the oldest waited 100 ms or 8 wait, and the backend\'s answer is read in a later invocation: billed time does not wait for it; spans wait at most 2 s or 1000 spans), `sync` (before the answer), `batch` (on a timer, for managed instances); `auto` picks `batch` on managed instances, else `deferred` while invocations come within 2 s of each other and `after-response` otherwise when the extension can register, else `sync`.',
  },
  LAMBDA_OTEL_FLUSH_TIMEOUT_MS: {
    kind: 'millis',
    default: 500,
    doc: 'Upper bound in milliseconds on one invocation\'s export (and on the shutdown flush); also kept 50 ms inside the function\'s remaining time.',
  },
  LAMBDA_OTEL_TIMEOUT_MARGIN_MS: {
    kind: 'millis',
    default: undefined,
    shownDefault: 'a tenth of the timeout, 100 to 500',
    doc: 'How long before the function\'s timeout a still-running invocation is ended as timed out, so that its spans leave before Lambda kills the process. An answer given inside the margin is reported as a timeout.',
  },
  LAMBDA_OTEL_INIT_SPANS: {
    kind: 'oneOf',
    choices: ['modules', 'phases', 'off'],
    default: 'modules',
    doc: 'What the first invocation\'s trace shows of the environment\'s init: `modules` the init span, its phases and a span per module whose load took `LAMBDA_OTEL_MODULE_MIN_MS` or more; `phases` the init span and its phases only; `off` nothing.',
  },
  LAMBDA_OTEL_MODULE_MIN_MS: {
    kind: 'millis',
    default: 3,
    doc: 'Module loads (`require` and `import`) during init that take at least this many milliseconds get a span under the init span.',
  },
  LAMBDA_OTEL_PROACTIVE_INIT_MS: {
    kind: 'millis',
    default: 10_000,
    doc: 'An on-demand environment whose first invocation comes more than this many milliseconds after its init ended was initialised ahead of demand: not a cold start (`aws.lambda.proactive_initialization`).',
  },
  LAMBDA_OTEL_MAX_SPANS_PER_INVOCATION: {
    kind: 'count',
    default: 1000,
    doc: 'Spans one invocation may record; the ones past it are not recorded and are counted on the invocation span (`lambda_otel.spans_dropped.over_budget`).',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

/** The parsed value of a setting: what `read(NAME)` in load.ts returns. */
export type ValueOf<N extends SettingName> = ValueOfSpec<(typeof SETTINGS)[N]>;

/**
 * Variables the upstream OpenTelemetry Lambda layer reads and this one cannot honour: set, each
 * gets one warning with this advice.
 */
export const UPSTREAM_ONLY = {
  OPENTELEMETRY_COLLECTOR_CONFIG_URI:
    'this layer runs no collector; point OTEL_EXPORTER_OTLP_ENDPOINT (and OTEL_EXPORTER_OTLP_HEADERS) at your backend or collector',
  OPENTELEMETRY_COLLECTOR_CONFIG_FILE:
    'this layer runs no collector; point OTEL_EXPORTER_OTLP_ENDPOINT (and OTEL_EXPORTER_OTLP_HEADERS) at your backend or collector',
  OTEL_LAMBDA_DISABLE_AWS_CONTEXT_PROPAGATION:
    'the Lambda X-Ray header is a parent here only with LAMBDA_OTEL_XRAY_CONTEXT=parent (the default, link, only links it; off ignores it)',
} as const;

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

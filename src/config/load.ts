import { defaultOf, readSetting, type Warn } from './parse';
import { readProxyVariables, type ProxyVariables } from './proxy';
import {
  SAVED_HANDLER_ENV,
  SETTINGS,
  UPSTREAM_ONLY,
  type LambdaEnvName,
  type SettingName,
  type ValueOf,
} from './settings';

export type { Warn } from './parse';

export type TracesExporter = Exclude<ValueOf<'OTEL_TRACES_EXPORTER'>[number], 'none'>;
export type OtlpProtocol = ValueOf<'OTEL_EXPORTER_OTLP_PROTOCOL'>;
export type Compression = ValueOf<'OTEL_EXPORTER_OTLP_COMPRESSION'>;
export type SamplerName = ValueOf<'OTEL_TRACES_SAMPLER'>;
/** `xray-lambda` becomes `xray` plus the Lambda header as parent (see `xrayContext`). */
export type PropagatorName = Exclude<ValueOf<'OTEL_PROPAGATORS'>[number], 'none' | 'xray-lambda'>;
export type LogLevel = ValueOf<'OTEL_LOG_LEVEL'>;
export type ExportMode = ValueOf<'LAMBDA_OTEL_EXPORT_MODE'>;
export type XrayContext = ValueOf<'LAMBDA_OTEL_XRAY_CONTEXT'>;
export type InstrumentationName = ValueOf<'OTEL_NODE_ENABLED_INSTRUMENTATIONS'>[number];
/** An invocation tail sampling always keeps; the same words name the reason on its span. */
export type KeepRule = Exclude<ValueOf<'LAMBDA_OTEL_SAMPLING_KEEP'>[number], 'none'>;
export type SlowThreshold = ValueOf<'LAMBDA_OTEL_SAMPLING_SLOW'>;

export const INSTRUMENTATIONS = SETTINGS.OTEL_NODE_ENABLED_INSTRUMENTATIONS.choices;

export interface OtlpConfig {
  readonly url: string;
  /** Lower-case names; checked so that no value can break the request's head. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly compression: Compression;
  readonly protocol: OtlpProtocol;
  /** The standard proxy variables, for the export only. */
  readonly proxy: ProxyVariables;
}

/** LAMBDA_OTEL_SAMPLING=tail: the decision waits for the end of each invocation (src/sampling/). */
export interface TailSamplingConfig {
  /** Share of the invocations that no rule keeps, kept by trace id. */
  readonly ratio: number;
  readonly keep: readonly KeepRule[];
  readonly slow: SlowThreshold;
  /** Under a parent that was not sampled: record nothing, or keep failures all the same. */
  readonly unsampledParent: ValueOf<'LAMBDA_OTEL_SAMPLING_UNSAMPLED_PARENT'>;
}

/** What Lambda tells the process about the function through its environment. */
export interface LambdaInfo {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryMb: number | undefined;
  readonly logGroupName: string | undefined;
  readonly logStreamName: string | undefined;
  readonly initializationType: string;
  readonly region: string | undefined;
  readonly taskRoot: string | undefined;
  readonly handler: string | undefined;
  /** The function's own `_HANDLER` as a main thread's preload saved it (see SAVED_HANDLER_ENV). */
  readonly savedHandler: string | undefined;
  readonly runtimeApi: string | undefined;
  /** Set on Lambda Managed Instances, where one process serves many invocations at once. */
  readonly maxConcurrency: number | undefined;
}

export interface Config {
  readonly disabled: boolean;
  readonly logLevel: LogLevel;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** Where spans go, each of them; empty for `none`. */
  readonly tracesExporters: readonly TracesExporter[];
  readonly otlp: OtlpConfig;
  /** Head sampling, at each trace's start; unused when `tailSampling` is set. */
  readonly sampler: { readonly name: SamplerName; readonly ratio: number };
  /** Undefined with LAMBDA_OTEL_SAMPLING=head (the default). */
  readonly tailSampling: TailSamplingConfig | undefined;
  readonly propagators: readonly PropagatorName[];
  readonly xrayContext: XrayContext;
  readonly captureUrlQuery: boolean;
  /** Trace and span ids on the function's `console` lines (src/logs/). */
  readonly logCorrelation: boolean;
  /** Event and result on the invocation span (src/payload/). */
  readonly capturePayload: boolean;
  /** Words the user adds to the keys whose values are redacted (src/privacy/secret-keys.ts). */
  readonly redactKeys: readonly string[];
  readonly flushTimeoutMs: number;
  /** Undefined: adapted to each function's timeout (src/runtime/timing.ts). */
  readonly timeoutMarginMs: ValueOf<'LAMBDA_OTEL_TIMEOUT_MARGIN_MS'>;
  readonly maxSpansPerInvocation: number;
  readonly maxQueueSize: number;
  readonly exportMode: ExportMode;
  readonly instrumentations: readonly InstrumentationName[];
  readonly batchIntervalMs: number;
  readonly batchSize: number;
  readonly init: InitConfig;
  readonly lambda: LambdaInfo;
}

/** How the environment's init is traced, on its first invocation. */
export interface InitConfig {
  readonly spans: ValueOf<'LAMBDA_OTEL_INIT_SPANS'>;
  readonly moduleMinMs: number;
  readonly proactiveInitMs: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

const TRACES_PATH = '/v1/traces';

/**
 * `read(NAME)` parses a setting with its kind from the table, or gives its default;
 * `read(NAME, fallback)` gives `fallback` instead, which is how one field's precedence chain
 * reads: `read('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', read('OTEL_EXPORTER_OTLP_TIMEOUT'))`.
 * A malformed value warns once, naming the variable and the value used instead.
 */
interface Read {
  <N extends SettingName>(name: N): ValueOf<N>;
  <N extends SettingName>(name: N, fallback: NonNullable<ValueOf<N>> | undefined): NonNullable<ValueOf<N>>;
}

/**
 * Reads every setting once into a frozen object. Pure: the environment comes in as an argument,
 * and malformed values are reported through `warn` and replaced by their documented fallback.
 * Nothing here throws.
 */
export function loadConfig(env: Env, warn: Warn): Readonly<Config> {
  const read = ((name: SettingName, fallback?: unknown) =>
    readSetting(name, SETTINGS[name], env[name], fallback ?? defaultOf(SETTINGS[name]), warn)) as Read;
  const lambdaVar = (name: LambdaEnvName): string | undefined => env[name] || undefined;
  for (const [name, advice] of Object.entries(UPSTREAM_ONLY)) {
    if (env[name]?.trim()) warn(`${name} is not read by this layer: ${advice}`);
  }

  const lambda: LambdaInfo = {
    functionName: lambdaVar('AWS_LAMBDA_FUNCTION_NAME') ?? 'unknown_function',
    functionVersion: lambdaVar('AWS_LAMBDA_FUNCTION_VERSION') ?? '$LATEST',
    memoryMb: positiveInt(lambdaVar('AWS_LAMBDA_FUNCTION_MEMORY_SIZE')),
    logGroupName: lambdaVar('AWS_LAMBDA_LOG_GROUP_NAME'),
    logStreamName: lambdaVar('AWS_LAMBDA_LOG_STREAM_NAME'),
    initializationType: lambdaVar('AWS_LAMBDA_INITIALIZATION_TYPE') ?? 'on-demand',
    region: lambdaVar('AWS_REGION'),
    taskRoot: lambdaVar('LAMBDA_TASK_ROOT'),
    handler: lambdaVar('_HANDLER'),
    savedHandler: env[SAVED_HANDLER_ENV] || undefined,
    runtimeApi: lambdaVar('AWS_LAMBDA_RUNTIME_API'),
    maxConcurrency: positiveInt(lambdaVar('AWS_LAMBDA_MAX_CONCURRENCY')),
  };

  // Read whatever the mode, so that a malformed value is reported before someone relies on it.
  const tailSampling: TailSamplingConfig = {
    ratio: read('LAMBDA_OTEL_SAMPLING_RATIO'),
    keep: read('LAMBDA_OTEL_SAMPLING_KEEP').filter((rule): rule is KeepRule => rule !== 'none'),
    slow: read('LAMBDA_OTEL_SAMPLING_SLOW'),
    unsampledParent: read('LAMBDA_OTEL_SAMPLING_UNSAMPLED_PARENT'),
  };
  const tail = read('LAMBDA_OTEL_SAMPLING') === 'tail';
  if (tail) {
    for (const name of ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'] as const) {
      if (env[name]?.trim()) warn(`${name} is not used with LAMBDA_OTEL_SAMPLING=tail; the share of other invocations kept is LAMBDA_OTEL_SAMPLING_RATIO`);
    }
  }

  const resourceAttributes = read('OTEL_RESOURCE_ATTRIBUTES');
  const propagators = read('OTEL_PROPAGATORS');
  const enabled = read('OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const disabled = read('OTEL_NODE_DISABLED_INSTRUMENTATIONS');

  return deepFreeze<Config>({
    disabled: read('OTEL_SDK_DISABLED'),
    logLevel: read('OTEL_LOG_LEVEL'),
    serviceName: read('OTEL_SERVICE_NAME', resourceAttributes['service.name'] ?? lambda.functionName),
    resourceAttributes,
    tracesExporters: read('OTEL_TRACES_EXPORTER').filter((name) => name !== 'none'),
    otlp: {
      url: read('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', read('OTEL_EXPORTER_OTLP_ENDPOINT').replace(/\/+$/, '') + TRACES_PATH),
      headers: { ...read('OTEL_EXPORTER_OTLP_HEADERS'), ...read('OTEL_EXPORTER_OTLP_TRACES_HEADERS') },
      timeoutMs: read('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', read('OTEL_EXPORTER_OTLP_TIMEOUT')),
      compression: read('OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', read('OTEL_EXPORTER_OTLP_COMPRESSION')),
      protocol: read('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', read('OTEL_EXPORTER_OTLP_PROTOCOL')),
      proxy: readProxyVariables(env),
    },
    sampler: { name: read('OTEL_TRACES_SAMPLER'), ratio: read('OTEL_TRACES_SAMPLER_ARG') },
    tailSampling: tail ? tailSampling : undefined,
    propagators: [...new Set(propagators.map((name) => (name === 'xray-lambda' ? 'xray' : name)))].filter(
      (name): name is PropagatorName => name !== 'none',
    ),
    // Upstream's `xray-lambda` takes the Lambda header as parent: this layer's `parent`, unless set.
    xrayContext: read('LAMBDA_OTEL_XRAY_CONTEXT', propagators.includes('xray-lambda') ? 'parent' : undefined),
    captureUrlQuery: read('LAMBDA_OTEL_CAPTURE_URL_QUERY'),
    logCorrelation: read('LAMBDA_OTEL_LOG_CORRELATION'),
    capturePayload: read('LAMBDA_OTEL_CAPTURE_PAYLOAD'),
    redactKeys: (read('LAMBDA_OTEL_REDACT_KEYS') ?? '')
      .split(',')
      .map((word) => word.trim())
      .filter((word) => word !== ''),
    flushTimeoutMs: read('LAMBDA_OTEL_FLUSH_TIMEOUT_MS'),
    timeoutMarginMs: read('LAMBDA_OTEL_TIMEOUT_MARGIN_MS'),
    maxSpansPerInvocation: read('LAMBDA_OTEL_MAX_SPANS_PER_INVOCATION'),
    maxQueueSize: read('OTEL_BSP_MAX_QUEUE_SIZE'),
    exportMode: read('LAMBDA_OTEL_EXPORT_MODE'),
    instrumentations: enabled.filter((name) => !disabled.includes(name)),
    batchIntervalMs: read('OTEL_BSP_SCHEDULE_DELAY'),
    batchSize: read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    init: {
      spans: read('LAMBDA_OTEL_INIT_SPANS'),
      moduleMinMs: read('LAMBDA_OTEL_MODULE_MIN_MS'),
      proactiveInitMs: read('LAMBDA_OTEL_PROACTIVE_INIT_MS'),
    },
    lambda,
  });
}

function positiveInt(raw: string | undefined): number | undefined {
  const value = raw === undefined ? NaN : Number.parseInt(raw, 10);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Freezes the object and every object or array inside it: no reader can change the config. */
function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null && !Object.isFrozen(inner)) deepFreeze(inner);
  }
  return Object.freeze(value);
}

/**
 * Every attribute key and value the layer writes, in one place.
 *
 * Stable keys (service, telemetry SDK, cloud, HTTP, URL, server, client, user agent, network,
 * exception) mirror `@opentelemetry/semantic-conventions`. Keys still in development upstream
 * (FaaS, AWS, RPC, messaging, CloudEvents) are copied here, as that package's README advises,
 * rather than imported from `@opentelemetry/semantic-conventions/incubating`: that entry point
 * costs hundreds of kilobytes in the bundle (`test/unit/layer/bundle.test.ts` keeps it out).
 * Trigger values follow the FaaS span conventions (`span.faas.*.server`) and the messaging
 * registry.
 */
// Resource: service, SDK, cloud, FaaS and logs of the function.
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_TELEMETRY_SDK_NAME = 'telemetry.sdk.name';
export const ATTR_TELEMETRY_SDK_LANGUAGE = 'telemetry.sdk.language';
export const ATTR_TELEMETRY_SDK_VERSION = 'telemetry.sdk.version';
export const TELEMETRY_SDK_NAME_VALUE_OPENTELEMETRY = 'opentelemetry';
export const ATTR_TELEMETRY_DISTRO_NAME = 'telemetry.distro.name';
export const ATTR_TELEMETRY_DISTRO_VERSION = 'telemetry.distro.version';

export const ATTR_CLOUD_PROVIDER = 'cloud.provider';
export const ATTR_CLOUD_PLATFORM = 'cloud.platform';
export const ATTR_CLOUD_REGION = 'cloud.region';
export const ATTR_CLOUD_ACCOUNT_ID = 'cloud.account.id';
export const ATTR_CLOUD_RESOURCE_ID = 'cloud.resource_id';
export const CLOUD_PROVIDER_AWS = 'aws';
export const CLOUD_PLATFORM_AWS_LAMBDA = 'aws_lambda';

export const ATTR_FAAS_NAME = 'faas.name';
export const ATTR_FAAS_VERSION = 'faas.version';
export const ATTR_FAAS_INSTANCE = 'faas.instance';
export const ATTR_FAAS_MAX_MEMORY = 'faas.max_memory';
export const ATTR_FAAS_INVOCATION_ID = 'faas.invocation_id';
export const ATTR_FAAS_COLDSTART = 'faas.coldstart';
export const ATTR_FAAS_TRIGGER = 'faas.trigger';

export const ATTR_AWS_LOG_GROUP_NAMES = 'aws.log.group.names';
export const ATTR_AWS_LOG_STREAM_NAMES = 'aws.log.stream.names';

export const ATTR_EXCEPTION_TYPE = 'exception.type';

// AWS calls (development).
export const ATTR_RPC_SYSTEM = 'rpc.system';
export const ATTR_RPC_SERVICE = 'rpc.service';
export const ATTR_RPC_METHOD = 'rpc.method';
export const RPC_SYSTEM_VALUE_AWS_API = 'aws-api';
export const ATTR_AWS_REQUEST_ID = 'aws.request_id';
/** What @opentelemetry/instrumentation-aws-sdk writes instead of ATTR_AWS_REQUEST_ID. */
export const ATTR_AWS_REQUEST_ID_SDK = 'aws.request.id';

/** Stable: the class of error an operation ended with. */
export const ATTR_ERROR_TYPE = 'error.type';
export const ERROR_TYPE_VALUE_TIMEOUT = 'timeout';
/** Stable: the file a span's code came from. */
export const ATTR_CODE_FILE_PATH = 'code.file.path';

/**
 * The layer's own keys, for what no convention covers yet: how an invocation that did not answer
 * ended, how the environment was initialised. Under `aws.lambda.`, beside the registry's
 * `aws.lambda.invoked_arn`.
 */
/** The function's configured timeout, on an invocation that ran out of it. */
export const ATTR_LAMBDA_TIMEOUT_MS = 'aws.lambda.timeout_ms';
/** What was left of the timeout when the layer ended the invocation span. */
export const ATTR_LAMBDA_TIMEOUT_REMAINING_MS = 'aws.lambda.timeout.remaining_ms';
/** True on an invocation during which the process crashed (an uncaught exception or unhandled rejection). */
export const ATTR_LAMBDA_CRASHED = 'aws.lambda.crashed';
/** On a span that was still open when its invocation ended without answering: `timeout` or `crash`. */
export const ATTR_LAMBDA_CUT_SHORT = 'aws.lambda.cut_short';
/**
 * Payload capture (LAMBDA_OTEL_CAPTURE_PAYLOAD): the event and the result as JSON, redacted and
 * capped; for HTTP triggers the request body, which the event carries as a string.
 */
export const ATTR_LAMBDA_EVENT = 'aws.lambda.event';
export const ATTR_LAMBDA_RESULT = 'aws.lambda.result';
export const ATTR_LAMBDA_REQUEST_BODY = 'aws.lambda.request_body';
/**
 * How Lambda initialised the environment, on its first invocation: `AWS_LAMBDA_INITIALIZATION_TYPE`
 * as Lambda sets it (`on-demand`, `provisioned-concurrency`, `snap-start`,
 * `lambda-managed-instances`), the values Datadog's `init_type` tag carries too.
 */
export const ATTR_LAMBDA_INIT_TYPE = 'aws.lambda.init_type';
/** True on the first invocation of an on-demand environment Lambda initialised before any caller asked (Datadog's `proactive_initialization`). */
export const ATTR_LAMBDA_PROACTIVE_INITIALIZATION = 'aws.lambda.proactive_initialization';
/** On a module span of the init: whose code it loaded, `function`, `layer` or `runtime`. */
export const ATTR_LAMBDA_MODULE_ORIGIN = 'aws.lambda.module.origin';

/**
 * The layer's own pipeline: spans it made and did not export, by reason (`over_budget`,
 * `buffer_full`, `export_failed`, `shutdown`), under `lambda_otel.` (facts about the invocation
 * itself stay under `aws.lambda.`).
 */
export const ATTR_PREFIX_SPANS_DROPPED = 'lambda_otel.spans_dropped.';
/** Invocations that tail sampling dropped since the last invocation it kept, on that one (their spans: `sampled_out` above). */
export const ATTR_INVOCATIONS_DROPPED_SAMPLED_OUT = 'lambda_otel.invocations_dropped.sampled_out';
/** Why tail sampling kept an invocation: `error`, `timeout`, `crash`, `coldstart`, `slow`, `ratio` or `parent`. */
export const ATTR_SAMPLING_REASON = 'lambda_otel.sampling.reason';

// HTTP server spans (stable).
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_REQUEST_METHOD_ORIGINAL = 'http.request.method_original';
export const ATTR_HTTP_ROUTE = 'http.route';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_URL_FULL = 'url.full';
export const ATTR_URL_PATH = 'url.path';
export const ATTR_URL_QUERY = 'url.query';
export const ATTR_URL_SCHEME = 'url.scheme';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_CLIENT_ADDRESS = 'client.address';
export const ATTR_USER_AGENT_ORIGINAL = 'user_agent.original';
export const ATTR_NETWORK_PROTOCOL_VERSION = 'network.protocol.version';
/** Stands in for a method outside the well-known set, which goes to `http.request.method_original`. */
export const HTTP_REQUEST_METHOD_VALUE_OTHER = '_OTHER';
/** `http.request.header.<lower-case name>`: the header's values, as a string array. */
export const ATTR_HTTP_REQUEST_HEADER_PREFIX = 'http.request.header.';

// FaaS trigger values and the datasource / timer attributes (development).
export const FAAS_TRIGGER_VALUE_HTTP = 'http';
export const FAAS_TRIGGER_VALUE_PUBSUB = 'pubsub';
export const FAAS_TRIGGER_VALUE_DATASOURCE = 'datasource';
export const FAAS_TRIGGER_VALUE_TIMER = 'timer';
export const FAAS_TRIGGER_VALUE_OTHER = 'other';
export const ATTR_FAAS_DOCUMENT_COLLECTION = 'faas.document.collection';
export const ATTR_FAAS_DOCUMENT_OPERATION = 'faas.document.operation';
export const ATTR_FAAS_DOCUMENT_NAME = 'faas.document.name';
export const ATTR_FAAS_DOCUMENT_TIME = 'faas.document.time';
export const FAAS_DOCUMENT_OPERATION_VALUE_INSERT = 'insert';
export const FAAS_DOCUMENT_OPERATION_VALUE_EDIT = 'edit';
export const FAAS_DOCUMENT_OPERATION_VALUE_DELETE = 'delete';
/**
 * Invocation time of a timer trigger. Same generation as `faas.invocation_id` above;
 * semantic-conventions 1.45 lists the pair as `faas.invocation.start_time` / `faas.invocation.id`.
 */
export const ATTR_FAAS_TIME = 'faas.time';

// Messaging consumer spans (development).
/**
 * `messaging.system` rather than its successor `messaging.system.name`: it is what the registry's
 * AWS Lambda conventions require for SQS and what the aws-sdk instrumentation writes on the
 * producer side, so both ends of a queue agree.
 */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
/** Registry value for `messaging.system` (the AWS Lambda conventions require exactly this). */
export const MESSAGING_SYSTEM_VALUE_AWS_SQS = 'aws_sqs';
/** Registry value for `messaging.system`; note the dot, unlike `aws_sqs`. */
export const MESSAGING_SYSTEM_VALUE_AWS_SNS = 'aws.sns';
/**
 * Not in the registry. Written in the dotted form the registry uses for new values (`aws.sns`, and
 * `aws.sqs` under `messaging.system.name`), so a future registration most likely matches it.
 */
export const MESSAGING_SYSTEM_VALUE_AWS_KINESIS = 'aws.kinesis';
export const ATTR_AWS_SNS_TOPIC_ARN = 'aws.sns.topic.arn';

// CloudEvents-style envelope fields, which EventBridge events carry (development).
export const ATTR_CLOUDEVENTS_EVENT_ID = 'cloudevents.event_id';
export const ATTR_CLOUDEVENTS_EVENT_SOURCE = 'cloudevents.event_source';
export const ATTR_CLOUDEVENTS_EVENT_TYPE = 'cloudevents.event_type';

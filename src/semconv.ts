/**
 * Attribute keys the layer writes. Stable ones mirror `@opentelemetry/semantic-conventions`;
 * incubating ones are copied here (as that package's README advises) so the bundle never pulls
 * in `/incubating`, which costs hundreds of kilobytes.
 */
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_TELEMETRY_SDK_NAME = 'telemetry.sdk.name';
export const ATTR_TELEMETRY_SDK_LANGUAGE = 'telemetry.sdk.language';
export const ATTR_TELEMETRY_SDK_VERSION = 'telemetry.sdk.version';

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

/**
 * The layer's own keys, for what no convention covers yet: how an invocation that did not answer
 * ended. Under `aws.lambda.`, beside the registry's `aws.lambda.invoked_arn`.
 */
/** The function's configured timeout, on an invocation that ran out of it. */
export const ATTR_LAMBDA_TIMEOUT_MS = 'aws.lambda.timeout_ms';
/** What was left of the timeout when the layer ended the invocation span. */
export const ATTR_LAMBDA_TIMEOUT_REMAINING_MS = 'aws.lambda.timeout.remaining_ms';
/** True on an invocation during which the process crashed (an uncaught exception or unhandled rejection). */
export const ATTR_LAMBDA_CRASHED = 'aws.lambda.crashed';
/** On a span that was still open when its invocation ended without answering: `timeout` or `crash`. */
export const ATTR_LAMBDA_CUT_SHORT = 'aws.lambda.cut_short';

/**
 * Attribute keys the layer writes. Stable ones mirror `@opentelemetry/semantic-conventions`;
 * incubating ones are copied here (as that package's README advises) so the bundle never pulls
 * in `/incubating`, which costs hundreds of kilobytes.
 */
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

export const ATTR_RPC_SYSTEM = 'rpc.system';
export const ATTR_RPC_SERVICE = 'rpc.service';
export const ATTR_RPC_METHOD = 'rpc.method';
export const RPC_SYSTEM_VALUE_AWS_API = 'aws-api';
export const ATTR_AWS_REQUEST_ID = 'aws.request_id';
/** What @opentelemetry/instrumentation-aws-sdk writes instead of ATTR_AWS_REQUEST_ID. */
export const ATTR_AWS_REQUEST_ID_SDK = 'aws.request.id';

/**
 * Attribute keys and values the trigger detectors write, beyond those in `src/semconv.ts`.
 *
 * Stable keys (HTTP, URL, server, client, user agent, network) mirror
 * `@opentelemetry/semantic-conventions`. The FaaS, messaging and CloudEvents keys are still in
 * development upstream and are copied here, as that package's README advises, so the bundle never
 * pulls in `/incubating`. Values follow semantic conventions as of the FaaS span conventions
 * (`span.faas.*.server`) and the messaging registry.
 */

// HTTP server spans (stable).
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_REQUEST_METHOD_ORIGINAL = 'http.request.method_original';
export const ATTR_HTTP_ROUTE = 'http.route';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
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
 * Invocation time of a timer trigger. Same generation as `faas.invocation_id` in `src/semconv.ts`;
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

import type { Attributes, Span } from '@opentelemetry/api';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders, RequestOptions, ServerResponse } from 'node:http';
import { ATTR_AWS_REQUEST_ID_SDK, ATTR_CLOUD_REGION, ATTR_RPC_METHOD, ATTR_RPC_SERVICE, ATTR_RPC_SYSTEM, RPC_SYSTEM_VALUE_AWS_API } from '../semconv';

/**
 * AWS API calls seen from the HTTP layer. A function that bundles its own AWS SDK (esbuild,
 * webpack) has no `@smithy/*` module for the SDK instrumentation to hook, so its calls would show
 * up as bare `POST` spans. Every SDK request is signed with SigV4, and the signature's credential
 * scope names the region and the service; the operation is in the `X-Amz-Target` header (JSON
 * protocols), the `x-id` query parameter (S3), or the `Action` form field (query protocols, read
 * from the first body chunk). Such spans get the names and attributes the SDK instrumentation
 * would give them. Calls made through the hooked SDK never reach here: their HTTP spans are
 * suppressed under the SDK span.
 */
export interface AwsCall {
  /** The SDK's service id, e.g. `DynamoDB`, as `rpc.service` carries it. */
  readonly service: string;
  readonly region: string | undefined;
  readonly operation: string | undefined;
}

/** Signing names whose SDK service id differs from the name itself (the SDK's `serviceId`). */
const SERVICE_IDS: Readonly<Record<string, string>> = {
  dynamodb: 'DynamoDB',
  s3: 'S3',
  sqs: 'SQS',
  sns: 'SNS',
  lambda: 'Lambda',
  kinesis: 'Kinesis',
  firehose: 'Firehose',
  events: 'EventBridge',
  states: 'SFN',
  secretsmanager: 'Secrets Manager',
  ssm: 'SSM',
  sts: 'STS',
  kms: 'KMS',
  logs: 'CloudWatch Logs',
  monitoring: 'CloudWatch',
  ses: 'SES',
  bedrock: 'Bedrock Runtime',
  'cognito-idp': 'Cognito Identity Provider',
  athena: 'Athena',
  scheduler: 'Scheduler',
  appsync: 'AppSync',
  'execute-api': 'API Gateway',
};

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;
const SIGV4A = /^AWS4-ECDSA-P256-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/aws4_request/;
const X_ID = /[?&]x-id=([A-Za-z0-9]+)/;
const FORM_ACTION = /(?:^|&)Action=([A-Za-z0-9]+)/;
const LAMBDA_INVOKE = /^\/[^/]+\/functions\/[^/]+\/invocations(?:\?|$)/;
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/** An `Action` field comes first in every query-protocol body the SDK writes. */
const FORM_PEEK_BYTES = 256;

type HeaderValue = string | number | readonly string[] | undefined;

/** The AWS call a request is, from its headers and path, or undefined for any other request. */
export function recogniseAwsCall(header: (name: string) => HeaderValue, path: string | undefined): AwsCall | undefined {
  const authorization = firstString(header('authorization'));
  if (authorization === undefined) return undefined;
  let region: string | undefined;
  let signingName: string;
  const v4 = SIGV4.exec(authorization);
  if (v4 !== null) {
    region = v4[1];
    signingName = v4[2];
  } else {
    const v4a = SIGV4A.exec(authorization);
    if (v4a === null) return undefined;
    region = firstString(header('x-amz-region-set'));
    signingName = v4a[1];
  }
  const service = SERVICE_IDS[signingName] ?? signingName;
  return { service, region, operation: operationOf(header, path, service) };
}

function operationOf(header: (name: string) => HeaderValue, path: string | undefined, service: string): string | undefined {
  const target = firstString(header('x-amz-target'));
  if (target !== undefined) {
    const dot = target.lastIndexOf('.');
    return dot < 0 ? target : target.slice(dot + 1);
  }
  if (path === undefined) return undefined;
  const xId = X_ID.exec(path);
  if (xId !== null) return xId[1];
  if (service === 'Lambda' && LAMBDA_INVOKE.test(path)) return 'Invoke';
  return undefined;
}

export function awsCallAttributes(call: AwsCall): Attributes {
  const attributes: Attributes = { [ATTR_RPC_SYSTEM]: RPC_SYSTEM_VALUE_AWS_API, [ATTR_RPC_SERVICE]: call.service };
  if (call.operation !== undefined) attributes[ATTR_RPC_METHOD] = call.operation;
  if (call.region !== undefined) attributes[ATTR_CLOUD_REGION] = call.region;
  return attributes;
}

/** The `Action` of a query-protocol body's first chunk. */
export function formAction(chunk: unknown): string | undefined {
  let text: string | undefined;
  if (typeof chunk === 'string') text = chunk.slice(0, FORM_PEEK_BYTES);
  else if (chunk instanceof Uint8Array) text = Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, FORM_PEEK_BYTES)).toString('latin1');
  return text === undefined ? undefined : FORM_ACTION.exec(text)?.[1];
}

export interface AwsCallHooks {
  readonly startAttributes: (options: RequestOptions) => Attributes;
  readonly onRequest: (span: Span, request: ClientRequest | IncomingMessage) => void;
  readonly onResponse: (span: Span, response: IncomingMessage | ServerResponse) => void;
}

/** The three hooks of the HTTP instrumentation that turn a signed request's span into an AWS span. */
export function awsCallHooks(): AwsCallHooks {
  const awsSpans = new WeakSet<Span>();
  return {
    startAttributes(options) {
      const headers = options.headers ?? {};
      const call = recogniseAwsCall((name) => headerOf(headers, name), options.path ?? undefined);
      return call === undefined ? {} : awsCallAttributes(call);
    },
    onRequest(span, request) {
      if (!isClientRequest(request)) return;
      const call = recogniseAwsCall((name) => request.getHeader(name), request.path);
      if (call === undefined) return;
      awsSpans.add(span);
      if (call.operation !== undefined) {
        span.updateName(`${call.service}.${call.operation}`);
      } else if (firstString(request.getHeader('content-type'))?.startsWith(FORM_CONTENT_TYPE)) {
        peekFirstChunk(request, (chunk) => {
          const action = formAction(chunk);
          if (action === undefined) return;
          span.updateName(`${call.service}.${action}`);
          span.setAttribute(ATTR_RPC_METHOD, action);
        });
      } else {
        span.updateName(call.service);
      }
    },
    onResponse(span, response) {
      if (!awsSpans.has(span) || !('statusCode' in response) || !('headers' in response)) return;
      const requestId = firstString(response.headers['x-amzn-requestid'] ?? response.headers['x-amz-request-id']);
      // The SDK instrumentation's key, as on hooked calls; AwsRequestIdAlias adds the semantic one.
      if (requestId !== undefined) span.setAttribute(ATTR_AWS_REQUEST_ID_SDK, requestId);
    },
  };
}

/** Sees the first body chunk written, then gets out of the way (the prototype's methods come back). */
function peekFirstChunk(request: ClientRequest, see: (chunk: unknown) => void): void {
  const { write, end } = request;
  const restore = (): void => {
    Reflect.deleteProperty(request, 'write');
    Reflect.deleteProperty(request, 'end');
  };
  request.write = function (this: ClientRequest, ...args: unknown[]): boolean {
    restore();
    see(args[0]);
    return Reflect.apply(write, this, args) as boolean;
  } as ClientRequest['write'];
  request.end = function (this: ClientRequest, ...args: unknown[]): ClientRequest {
    restore();
    if (typeof args[0] !== 'function') see(args[0]);
    return Reflect.apply(end, this, args) as ClientRequest;
  } as ClientRequest['end'];
}

function isClientRequest(request: ClientRequest | IncomingMessage): request is ClientRequest {
  return typeof (request as ClientRequest).getHeader === 'function';
}

/** Headers as RequestOptions carry them: an object, or Node's raw `[name, value, ...]` list. */
function headerOf(headers: OutgoingHttpHeaders | readonly string[], name: string): HeaderValue {
  if (isRawHeaderList(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i].toLowerCase() === name) return headers[i + 1];
    return undefined;
  }
  const exact = headers[name];
  if (exact !== undefined) return exact;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function isRawHeaderList(headers: OutgoingHttpHeaders | readonly string[]): headers is readonly string[] {
  return Array.isArray(headers);
}

function firstString(value: HeaderValue): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

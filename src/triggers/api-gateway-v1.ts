import { isObject, objectField, stringField } from '../read';
import { normaliseHeaders } from './headers';
import { describeHttpRequest } from './http';
import { encodeQuery } from './query';
import type { EventObject, Trigger, TriggerDetector, TriggerOptions } from './types';

/**
 * API Gateway REST APIs (and HTTP APIs on payload format 1.0), Lambda proxy integration:
 * `httpMethod`, `resource` (the route template) and a `requestContext` without `elb`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
export const SOURCE_API_GATEWAY_V1 = 'api-gateway-v1';

export function matches(event: unknown): boolean {
  if (!isObject(event)) return false;
  const requestContext = objectField(event, 'requestContext');
  return (
    requestContext !== undefined &&
    requestContext.elb === undefined &&
    typeof event.httpMethod === 'string' &&
    typeof event.resource === 'string'
  );
}

export function describe(event: EventObject, options: TriggerOptions): Trigger {
  const requestContext = objectField(event, 'requestContext');
  const identity = objectField(requestContext, 'identity');
  return describeHttpRequest(
    {
      source: SOURCE_API_GATEWAY_V1,
      method: stringField(event, 'httpMethod'),
      path: stringField(event, 'path'),
      route: stringField(event, 'resource'),
      // API Gateway hands the parameters over decoded; encode them again.
      query: () => encodeQuery(event.queryStringParameters, event.multiValueQueryStringParameters, true),
      headers: normaliseHeaders(event.headers, event.multiValueHeaders),
      protocol: stringField(requestContext, 'protocol'),
      sourceIp: stringField(identity, 'sourceIp'),
      domainName: stringField(requestContext, 'domainName'),
      userAgent: stringField(identity, 'userAgent'),
    },
    options,
  );
}

export const apiGatewayV1: TriggerDetector = { source: SOURCE_API_GATEWAY_V1, matches, describe };

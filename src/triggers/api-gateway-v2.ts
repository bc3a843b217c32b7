import { isObject, objectField, stringField } from '../read';
import { normaliseHeaders } from './headers';
import { describeHttpRequest } from './http';
import type { EventObject, Trigger, TriggerDetector, TriggerOptions } from './types';

/**
 * API Gateway HTTP APIs, payload format 2.0: `version: '2.0'`, a `routeKey` such as
 * `GET /orders/{id}` (or `$default`) and `requestContext.http`. Function URLs share the shape and
 * are left to their own detector.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export const SOURCE_API_GATEWAY_V2 = 'api-gateway-v2';

const PAYLOAD_VERSION_2 = '2.0';
/** The catch-all route: no template, so `http.route` stays unset. */
const DEFAULT_ROUTE_KEY = '$default';
const FUNCTION_URL_DOMAIN_MARK = '.lambda-url.';

/** The shape both HTTP APIs and function URLs send. */
export function isPayloadV2(event: unknown): event is EventObject {
  return (
    isObject(event) &&
    event.version === PAYLOAD_VERSION_2 &&
    typeof event.routeKey === 'string' &&
    objectField(objectField(event, 'requestContext'), 'http') !== undefined
  );
}

/** Function URLs send the 2.0 payload from a `<id>.lambda-url.<region>.on.aws` domain. */
export function isFunctionUrl(event: EventObject): boolean {
  const domainName = stringField(objectField(event, 'requestContext'), 'domainName');
  return (
    event.routeKey === DEFAULT_ROUTE_KEY && domainName !== undefined && domainName.includes(FUNCTION_URL_DOMAIN_MARK)
  );
}

export function matches(event: unknown): boolean {
  return isPayloadV2(event) && !isFunctionUrl(event);
}

export function describe(event: EventObject, options: TriggerOptions): Trigger {
  return describePayloadV2(SOURCE_API_GATEWAY_V2, event, routeOf(stringField(event, 'routeKey')), options);
}

/** Shared with function URLs, which differ only in having no route. */
export function describePayloadV2(
  source: string,
  event: EventObject,
  route: string | undefined,
  options: TriggerOptions,
): Trigger {
  const requestContext = objectField(event, 'requestContext');
  const http = objectField(requestContext, 'http');
  return describeHttpRequest(
    {
      source,
      method: stringField(http, 'method'),
      path: stringField(event, 'rawPath') ?? stringField(http, 'path'),
      route,
      query: () => stringField(event, 'rawQueryString'),
      // 2.0 payloads already lower-case header names and join repeated ones with commas.
      headers: normaliseHeaders(event.headers),
      protocol: stringField(http, 'protocol'),
      sourceIp: stringField(http, 'sourceIp'),
      domainName: stringField(requestContext, 'domainName'),
      userAgent: stringField(http, 'userAgent'),
    },
    options,
  );
}

/** `GET /orders/{id}` → `/orders/{id}`; `$default` has no template. */
function routeOf(routeKey: string | undefined): string | undefined {
  if (routeKey === undefined || routeKey === DEFAULT_ROUTE_KEY) return undefined;
  const space = routeKey.indexOf(' ');
  const route = space < 0 ? routeKey : routeKey.slice(space + 1);
  return route.startsWith('/') ? route : undefined;
}

export const apiGatewayV2: TriggerDetector = { source: SOURCE_API_GATEWAY_V2, matches, describe };

import { SpanKind, type Attributes } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_FAAS_TRIGGER,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  FAAS_TRIGGER_VALUE_HTTP,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from '../semconv';
import { firstListValue } from './headers';
import type { Carrier, Trigger, TriggerOptions } from './types';

/** What every HTTP-shaped event offers, read by its detector; missing parts are undefined. */
export interface HttpRequest {
  readonly source: string;
  readonly method: string | undefined;
  readonly path: string | undefined;
  /** The route template (`/orders/{id}`); undefined where the source has none (function URL, ALB). */
  readonly route: string | undefined;
  /** Called only when queries are captured: builds the query string, without the leading `?`. */
  readonly query: () => string | undefined;
  /** Lower-cased, from {@link normaliseHeaders}. */
  readonly headers: Carrier;
  /** The protocol as the event spells it, e.g. `HTTP/1.1`. */
  readonly protocol: string | undefined;
  /** The caller's address as the gateway saw it; `X-Forwarded-For` is the fallback. */
  readonly sourceIp: string | undefined;
  /** The gateway's domain name; the `Host` header wins over it. */
  readonly domainName: string | undefined;
  /** The gateway's copy of the user agent; the `User-Agent` header wins over it. */
  readonly userAgent: string | undefined;
}

/** Methods `http.request.method` may hold as they are; any other becomes `_OTHER`. */
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);
/** The span name's stand-in for `_OTHER`, per the HTTP span conventions. */
const OTHER_METHOD_SPAN_NAME = 'HTTP';
const DEFAULT_SCHEME = 'https';
const PROTOCOL = /^HTTP\/(\d+)(?:\.(\d+))?$/i;
const PORT = /^\d{1,5}$/;
const HOST_WITH_PORT = /^(\[[^\]]*\]|[^:]+):(\d{1,5})$/;

const HEADER_HOST = 'host';
const HEADER_USER_AGENT = 'user-agent';
const HEADER_FORWARDED_FOR = 'x-forwarded-for';
const HEADER_FORWARDED_PROTO = 'x-forwarded-proto';
const HEADER_FORWARDED_PORT = 'x-forwarded-port';

/** Applies the HTTP server span conventions to a request read from any HTTP-shaped event. */
export function describeHttpRequest(request: HttpRequest, options: TriggerOptions): Trigger {
  const { headers } = request;
  const attributes: Attributes = { [ATTR_FAAS_TRIGGER]: FAAS_TRIGGER_VALUE_HTTP };

  let spanMethod: string | undefined;
  if (request.method !== undefined) {
    if (KNOWN_METHODS.has(request.method)) {
      attributes[ATTR_HTTP_REQUEST_METHOD] = request.method;
      spanMethod = request.method;
    } else {
      attributes[ATTR_HTTP_REQUEST_METHOD] = HTTP_REQUEST_METHOD_VALUE_OTHER;
      attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = request.method;
      spanMethod = OTHER_METHOD_SPAN_NAME;
    }
  }
  if (request.route !== undefined) attributes[ATTR_HTTP_ROUTE] = request.route;
  if (request.path !== undefined) attributes[ATTR_URL_PATH] = request.path;
  if (options.captureQuery) {
    const query = request.query();
    if (query) attributes[ATTR_URL_QUERY] = query;
  }
  attributes[ATTR_URL_SCHEME] = firstListValue(headers[HEADER_FORWARDED_PROTO])?.toLowerCase() ?? DEFAULT_SCHEME;

  const host = splitHost(headers[HEADER_HOST]);
  const serverAddress = host.address ?? request.domainName;
  if (serverAddress !== undefined) {
    attributes[ATTR_SERVER_ADDRESS] = serverAddress;
    const port = host.port ?? portNumber(firstListValue(headers[HEADER_FORWARDED_PORT]));
    if (port !== undefined) attributes[ATTR_SERVER_PORT] = port;
  }
  const clientAddress = request.sourceIp ?? firstListValue(headers[HEADER_FORWARDED_FOR]);
  if (clientAddress !== undefined) attributes[ATTR_CLIENT_ADDRESS] = clientAddress;
  const userAgent = headers[HEADER_USER_AGENT] || request.userAgent;
  if (userAgent) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  const protocolVersion = protocolVersionOf(request.protocol);
  if (protocolVersion !== undefined) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = protocolVersion;

  return {
    source: request.source,
    trigger: FAAS_TRIGGER_VALUE_HTTP,
    kind: SpanKind.SERVER,
    spanName: spanNameOf(spanMethod, request.route),
    attributes,
    parentCarrier: headers,
    linkCarriers: [],
  };
}

/** `GET /orders/{id}`, or `GET` alone: a raw path would give every order id its own span name. */
function spanNameOf(method: string | undefined, route: string | undefined): string | undefined {
  if (method === undefined) return undefined;
  return route === undefined ? method : `${method} ${route}`;
}

/** `HTTP/1.1` → `1.1`, `HTTP/2.0` → `2`, as the conventions write versions. */
function protocolVersionOf(protocol: string | undefined): string | undefined {
  const match = protocol === undefined ? null : PROTOCOL.exec(protocol);
  if (match === null) return undefined;
  const [, major, minor] = match;
  if (minor === undefined || (minor === '0' && major !== '1')) return major;
  return `${major}.${minor}`;
}

function splitHost(host: string | undefined): { address?: string; port?: number } {
  if (!host) return {};
  const match = HOST_WITH_PORT.exec(host);
  if (match === null) return { address: host };
  return { address: match[1], port: portNumber(match[2]) };
}

function portNumber(value: string | undefined): number | undefined {
  if (value === undefined || !PORT.test(value)) return undefined;
  const port = Number(value);
  return port > 0 && port <= 65535 ? port : undefined;
}

import type { Attributes } from '@opentelemetry/api';
import { isObject } from '../read';
import { ATTR_HTTP_RESPONSE_STATUS_CODE, FAAS_TRIGGER_VALUE_HTTP } from '../semconv';
import type { Trigger } from './types';

export interface ResponseAttributes {
  readonly attributes: Attributes;
  /** A 5xx answer: the HTTP server conventions mark those spans as errors, and 4xx not. */
  readonly isError: boolean;
}

const STATUS_CODE = /^\d{3}$/;
const MIN_STATUS = 100;
const MAX_STATUS = 599;
const MIN_SERVER_ERROR = 500;

/**
 * Reads the status code an HTTP-triggered handler returned (`{ statusCode: 201 }`, or `'201'`).
 * Anything else, including results of other triggers, gives no attributes. A missing status is
 * not guessed: API Gateway HTTP APIs would answer 200, REST APIs and ALBs 502.
 */
export function responseAttributes(trigger: Trigger, result: unknown): ResponseAttributes {
  if (trigger.trigger !== FAAS_TRIGGER_VALUE_HTTP || !isObject(result)) return { attributes: {}, isError: false };
  let status: number | undefined;
  try {
    status = statusCodeOf(result.statusCode);
  } catch {
    status = undefined; // a throwing getter on a user's result object
  }
  if (status === undefined) return { attributes: {}, isError: false };
  return { attributes: { [ATTR_HTTP_RESPONSE_STATUS_CODE]: status }, isError: status >= MIN_SERVER_ERROR };
}

function statusCodeOf(value: unknown): number | undefined {
  let status: number | undefined;
  if (typeof value === 'number') status = value;
  else if (typeof value === 'string' && STATUS_CODE.test(value)) status = Number(value);
  if (status === undefined || !Number.isInteger(status) || status < MIN_STATUS || status > MAX_STATUS) return undefined;
  return status;
}

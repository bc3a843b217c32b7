import type { Attributes } from '@opentelemetry/api';
import { ATTR_CLOUD_ACCOUNT_ID, ATTR_CLOUD_RESOURCE_ID, ATTR_FAAS_COLDSTART, ATTR_FAAS_INVOCATION_ID } from '../semconv';
import { stringValue } from '../read';
import type { LambdaContext } from './lambda-context';

const ARN_PARTS = 7; // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]

/** Span attributes that change per invocation: request id, cold start, the invoked function's ARN. */
export function invocationAttributes(context: LambdaContext, coldStart: boolean, functionVersion: string): Attributes {
  const attributes: Attributes = { [ATTR_FAAS_COLDSTART]: coldStart };
  const requestId = stringValue(context.awsRequestId);
  if (requestId) attributes[ATTR_FAAS_INVOCATION_ID] = requestId;
  const arn = stringValue(context.invokedFunctionArn);
  if (arn) {
    const parts = arn.split(':');
    if (parts.length >= ARN_PARTS) {
      attributes[ATTR_CLOUD_ACCOUNT_ID] = parts[4];
      attributes[ATTR_CLOUD_RESOURCE_ID] = functionResourceId(parts, functionVersion);
    }
  }
  return attributes;
}

/**
 * The semantic conventions want the function's ARN with the resolved version, not the alias it was
 * invoked through: one environment serves every alias pointing at its version.
 */
function functionResourceId(parts: string[], functionVersion: string): string {
  const unqualified = parts.slice(0, ARN_PARTS).join(':');
  return functionVersion === '$LATEST' ? unqualified : `${unqualified}:${functionVersion}`;
}

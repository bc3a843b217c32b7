/**
 * ARN helpers. An ARN is `arn:partition:service:region:account:resource`, where the resource part
 * may itself contain `:` or `/` (`table/orders/stream/2024-…`).
 */

const ARN_RESOURCE_INDEX = 5;

/** The resource part of an ARN, or undefined for anything that is not one. */
export function arnResource(arn: string | undefined): string | undefined {
  if (arn === undefined || !arn.startsWith('arn:')) return undefined;
  let index = -1;
  for (let colons = 0; colons < ARN_RESOURCE_INDEX; colons++) {
    index = arn.indexOf(':', index + 1);
    if (index < 0) return undefined;
  }
  const resource = arn.slice(index + 1);
  return resource === '' ? undefined : resource;
}

/**
 * The name after `<type>/` in a resource such as `table/orders/stream/…` or `stream/clicks`,
 * or the whole resource when it has no such prefix (SQS queues, SNS topics).
 */
export function arnResourceName(arn: string | undefined, type?: string): string | undefined {
  const resource = arnResource(arn);
  if (resource === undefined) return undefined;
  if (type === undefined) return resource;
  const prefix = type + '/';
  if (!resource.startsWith(prefix)) return undefined;
  const end = resource.indexOf('/', prefix.length);
  const name = resource.slice(prefix.length, end < 0 ? undefined : end);
  return name === '' ? undefined : name;
}

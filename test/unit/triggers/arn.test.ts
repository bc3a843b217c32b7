import { arnResource, arnResourceName } from '../../../src/triggers/arn';

describe('arn', () => {
  it.each([
    ['arn:aws:sqs:us-east-2:123456789012:orders', undefined, 'orders'],
    ['arn:aws:sns:us-east-1:123456789012:alerts.fifo', undefined, 'alerts.fifo'],
    ['arn:aws:kinesis:us-east-2:123456789012:stream/clicks', 'stream', 'clicks'],
    ['arn:aws:dynamodb:us-west-2:1:table/Orders/stream/2015-05-11T21:21:33.291', 'table', 'Orders'],
    ['arn:aws:dynamodb:us-west-2:1:index/Orders', 'table', undefined],
    ['arn:aws:sqs:us-east-2:123456789012:', undefined, undefined],
    ['arn:aws:sqs', undefined, undefined],
    ['orders', undefined, undefined],
    [undefined, undefined, undefined],
  ])('%s (%s) → %s', (arn, type, name) => {
    expect(arnResourceName(arn, type)).toBe(name);
  });

  it('keeps colons inside the resource', () => {
    expect(arnResource('arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x:*')).toBe('log-group:/aws/lambda/x:*');
  });
});

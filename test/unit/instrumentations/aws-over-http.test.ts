import { awsCallAttributes, formAction, recogniseAwsCall } from '../../../src/instrumentations/aws-over-http';

const SIGNED = (region: string, service: string): string =>
  `AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261201/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123`;

const headersOf =
  (headers: Record<string, string | string[]>) =>
  (name: string): string | string[] | undefined =>
    headers[name];

describe('recogniseAwsCall', () => {
  it('reads service and region from the SigV4 scope and the operation from X-Amz-Target (JSON protocols)', () => {
    const call = recogniseAwsCall(
      headersOf({ authorization: SIGNED('eu-west-1', 'dynamodb'), 'x-amz-target': 'DynamoDB_20120810.PutItem' }),
      '/',
    );
    expect(call).toEqual({ service: 'DynamoDB', region: 'eu-west-1', operation: 'PutItem' });
    expect(awsCallAttributes(call!)).toEqual({
      'rpc.system': 'aws-api',
      'rpc.service': 'DynamoDB',
      'rpc.method': 'PutItem',
      'cloud.region': 'eu-west-1',
    });
  });

  it('takes the operation from the x-id query parameter (S3)', () => {
    expect(recogniseAwsCall(headersOf({ authorization: SIGNED('us-east-1', 's3') }), '/bucket/key.txt?x-id=PutObject')).toEqual({
      service: 'S3',
      region: 'us-east-1',
      operation: 'PutObject',
    });
  });

  it('names Lambda Invoke from its path', () => {
    expect(recogniseAwsCall(headersOf({ authorization: SIGNED('us-east-1', 'lambda') }), '/2015-03-31/functions/orders/invocations')?.operation).toBe(
      'Invoke',
    );
  });

  it('leaves the operation open where only the body tells (query protocols) and keeps unknown signing names', () => {
    expect(recogniseAwsCall(headersOf({ authorization: SIGNED('us-east-1', 'sns') }), '/')).toEqual({
      service: 'SNS',
      region: 'us-east-1',
      operation: undefined,
    });
    expect(recogniseAwsCall(headersOf({ authorization: SIGNED('ap-south-1', 'quicksight') }), '/')?.service).toBe('quicksight');
  });

  it('reads SigV4a, whose scope has no region, with the region set header', () => {
    const call = recogniseAwsCall(
      headersOf({
        authorization: 'AWS4-ECDSA-P256-SHA256 Credential=AKID/20261201/s3/aws4_request, SignedHeaders=host, Signature=3045',
        'x-amz-region-set': '*',
      }),
      '/?x-id=GetObject',
    );
    expect(call).toEqual({ service: 'S3', region: '*', operation: 'GetObject' });
  });

  it('ignores requests that are not signed for AWS', () => {
    expect(recogniseAwsCall(headersOf({}), '/')).toBeUndefined();
    expect(recogniseAwsCall(headersOf({ authorization: 'Bearer eyJhbGciOi' }), '/')).toBeUndefined();
    expect(recogniseAwsCall(headersOf({ authorization: 'AWS4-HMAC-SHA256 Credential=broken' }), '/')).toBeUndefined();
  });
});

describe('formAction', () => {
  it('reads Action from a string or byte chunk', () => {
    expect(formAction('Action=Publish&Version=2010-03-31&TopicArn=arn')).toBe('Publish');
    expect(formAction(Buffer.from('Version=2010-03-31&Action=SendMessage'))).toBe('SendMessage');
    expect(formAction(new Uint8Array(Buffer.from('Action=ListTopics')))).toBe('ListTopics');
  });

  it('gives nothing for other bodies', () => {
    expect(formAction('{"Action":"Publish"}')).toBeUndefined();
    expect(formAction(undefined)).toBeUndefined();
    expect(formAction('NoAction=Publish')).toBeUndefined();
  });
});

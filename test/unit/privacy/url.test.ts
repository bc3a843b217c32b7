import { secretNames } from '../../../src/privacy/secret-keys';
import { redactQuery, redactUrl } from '../../../src/privacy/url';

const isSecret = secretNames([]);
const DEFAULT = { keepValues: false, isSecret };
const KEEP = { keepValues: true, isSecret };

describe('redactQuery', () => {
  it('redacts every value by default, keeping names, order and the leading ?', () => {
    expect(redactQuery('?q=shoes&page=2&flag&empty=', DEFAULT)).toBe('?q=REDACTED&page=REDACTED&flag&empty=REDACTED');
    expect(redactQuery('a=1&a=2', DEFAULT)).toBe('a=REDACTED&a=REDACTED');
  });

  it('with values kept, still redacts signing keys and secret-looking names, and keeps the rest byte for byte', () => {
    const query =
      'q=red%20shoes&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900' +
      '&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&AWSAccessKeyId=AKIA&Signature=s1&sig=s2&X-Goog-Signature=s3&x-goog-credential=c' +
      '&api_key=k&access%5Ftoken=t&Token=t2&page=2';
    expect(redactQuery(query, KEEP)).toBe(
      'q=red%20shoes&X-Amz-Algorithm=REDACTED&X-Amz-Credential=REDACTED&X-Amz-Date=REDACTED&X-Amz-Expires=REDACTED' +
        '&X-Amz-SignedHeaders=REDACTED&X-Amz-Signature=REDACTED&AWSAccessKeyId=REDACTED&Signature=REDACTED&sig=REDACTED&X-Goog-Signature=REDACTED&x-goog-credential=REDACTED' +
        '&api_key=REDACTED&access%5Ftoken=REDACTED&Token=REDACTED&page=2',
    );
  });

  it('survives malformed percent-encoding', () => {
    expect(redactQuery('%E0%A4%A=1&token%=2', KEEP)).toBe('%E0%A4%A=1&token%=REDACTED');
  });
});

describe('redactUrl', () => {
  it('replaces credentials in the authority', () => {
    expect(redactUrl('https://alice:s3cret@example.com/path', DEFAULT)).toBe('https://REDACTED:REDACTED@example.com/path');
    expect(redactUrl('https://token@example.com:8443/', DEFAULT)).toBe('https://REDACTED:REDACTED@example.com:8443/');
    // An @ in the path or query is not a credential.
    expect(redactUrl('https://example.com/users/a@b.c', DEFAULT)).toBe('https://example.com/users/a@b.c');
  });

  it('redacts the query and the fragment like redactQuery', () => {
    expect(redactUrl('https://example.com/p?x=1&token=abc#access_token=def&state=s', DEFAULT)).toBe(
      'https://example.com/p?x=REDACTED&token=REDACTED#access_token=REDACTED&state=REDACTED',
    );
    expect(redactUrl('https://example.com/p?x=1&token=abc#access_token=def&state=s', KEEP)).toBe(
      'https://example.com/p?x=1&token=REDACTED#access_token=REDACTED&state=s',
    );
    expect(redactUrl('https://bucket.s3.amazonaws.com/k?X-Amz-Signature=abc&versionId=3', KEEP)).toBe(
      'https://bucket.s3.amazonaws.com/k?X-Amz-Signature=REDACTED&versionId=3',
    );
  });

  it('leaves a URL with nothing to redact as it is', () => {
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/a/b', 'https://sqs.us-east-1.amazonaws.com/123456789012/orders', '/relative/path']) {
      expect(redactUrl(url, DEFAULT)).toBe(url);
    }
  });
});

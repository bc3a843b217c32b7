import { secretNames } from '../../../src/privacy/secret-keys';

describe('secretNames', () => {
  const isSecret = secretNames([]);

  it.each([
    'password',
    'Password',
    'user_password',
    'passwd',
    'pass',
    'pwd',
    'client_secret',
    'secretAccessKey',
    'access_token',
    'X-CSRF-Token',
    'x-amz-security-token',
    'Authorization',
    'Proxy-Authorization',
    'authorisation',
    'x-auth',
    'basic_auth',
    'Cookie',
    'Set-Cookie',
    'cookies',
    'X-Api-Key',
    'apiKey',
    'api_key',
    'api.key',
    'credentials',
    'X-Amz-Credential',
    'sessionId',
    'session_token',
    'private_key',
    'accessKey',
    'AWSAccessKeyId',
    'X-Amz-Signature',
    'sig',
    'jwt',
    'bearer',
    'otp',
    'pin',
    'ssn',
    'cvv',
    'card_number',
  ])('%s is secret', (name) => {
    expect(isSecret(name)).toBe(true);
  });

  it.each(['author', 'authority', ':authority', 'shipping', 'design', 'signal', 'passenger', 'processName', 'id', 'key', 'Key', 'content-type', 'user-agent', 'host', 'total', 'email'])(
    '%s is not',
    (name) => {
      expect(isSecret(name)).toBe(false);
    },
  );

  it('adds the user words, compared the same way (case, separators)', () => {
    const withExtra = secretNames(['IBAN', 'card-holder', ' ', '']);
    expect(['iban', 'customer_IBAN', 'cardHolder', 'Card_Holder_Name'].map(withExtra)).toEqual([true, true, true, true]);
    expect(['bank', 'holder', 'card'].map(withExtra)).toEqual([false, false, false]);
    // An empty word would match every name: it is dropped.
    expect(withExtra('anything')).toBe(false);
  });

  it('compares a very long name by its start, in bounded time', () => {
    const started = performance.now();
    expect(isSecret(`password${'x'.repeat(6_000_000)}`)).toBe(true);
    expect(isSecret(`${'x'.repeat(6_000_000)}password`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

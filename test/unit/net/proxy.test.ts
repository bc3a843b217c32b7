import { proxyFor } from '../../../src/net/proxy';

const target = (url: string) => new URL(url);

describe('proxyFor', () => {
  it('takes the proxy URL apart, with credentials as a Proxy-Authorization value', () => {
    expect(proxyFor(target('https://otlp.example.com/v1/traces'), 'http://user:p%40ss@proxy.internal:3128', undefined)).toEqual({
      proxy: {
        host: 'proxy.internal',
        port: 3128,
        authorization: `Basic ${Buffer.from('user:p@ss').toString('base64')}`,
        display: 'http://proxy.internal:3128',
      },
    });
    expect(proxyFor(target('http://collector:4318'), 'http://[::1]', undefined)).toEqual({
      proxy: { host: '::1', port: 80, authorization: undefined, display: 'http://[::1]' },
    });
  });

  it('takes a proxy URL without a scheme as http://', () => {
    expect(proxyFor(target('https://otlp.example.com'), 'proxy.internal:3128', undefined)).toMatchObject({ proxy: { host: 'proxy.internal', port: 3128 } });
  });

  it('connects directly without a proxy URL', () => {
    expect(proxyFor(target('https://otlp.example.com'), undefined, undefined)).toEqual({ proxy: undefined });
    expect(proxyFor(target('https://otlp.example.com'), '  ', undefined)).toEqual({ proxy: undefined });
  });

  it.each([
    ['*', 'https://otlp.example.com'],
    ['otlp.example.com', 'https://otlp.example.com'],
    ['other.org, OTLP.example.com', 'https://otlp.example.com'],
    ['otlp.example.com:443', 'https://otlp.example.com/v1/traces'],
    ['otlp.example.com:4318', 'http://otlp.example.com:4318'],
    ['.example.com', 'https://otlp.example.com'],
    ['.example.com', 'https://example.com'],
    ['*.example.com', 'https://otlp.example.com'],
    ['127.0.0.1', 'http://127.0.0.1:4318'],
    ['10.0.0.0-10.0.255.255', 'http://10.0.3.7:4318'],
    ['::1', 'http://[::1]:4318'],
  ])('NO_PROXY=%j exempts %s', (noProxy, url) => {
    expect(proxyFor(target(url), 'http://proxy:3128', noProxy)).toEqual({ proxy: undefined });
  });

  it.each([
    ['example.com', 'https://otlp.example.com'],
    ['otlp.example.com:4318', 'https://otlp.example.com'],
    ['*.example.com', 'https://example.com'],
    ['xample.com', 'https://otlp.example.com'],
    ['10.0.0.0-10.0.255.255', 'http://10.1.0.1:4318'],
    ['', 'https://otlp.example.com'],
  ])('NO_PROXY=%j does not exempt %s', (noProxy, url) => {
    expect(proxyFor(target(url), 'http://proxy:3128', noProxy)).toMatchObject({ proxy: { host: 'proxy' } });
  });

  it('refuses proxy URLs it cannot use, without repeating them (they may hold credentials)', () => {
    const https = proxyFor(target('https://otlp.example.com'), 'https://user:secret@proxy:3128', undefined);
    expect(https).toEqual({ invalid: expect.stringContaining('only http:// proxies are supported') });
    const garbage = proxyFor(target('https://otlp.example.com'), 'http://user:secret@pro xy:3128', undefined);
    expect(garbage).toEqual({ invalid: 'the proxy URL is not a URL' });
    expect(JSON.stringify([https, garbage])).not.toContain('secret');
  });
});

import type { LookupAddress } from 'node:dns';
import { lookupWithoutThreadPool } from '../../../src/net/lookup';

function lookup(hostname: string, all: boolean): Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve) => lookupWithoutThreadPool(hostname, { all }, (error, address, family) => resolve({ error, address, family })));
}

describe('name resolution for the layer\'s own connections', () => {
  it('takes an IP address as it is', async () => {
    expect(await lookup('10.1.2.3', false)).toEqual({ error: null, address: '10.1.2.3', family: 4 });
    expect(await lookup('::1', true)).toEqual({ error: null, address: [{ address: '::1', family: 6 }], family: undefined });
  });

  it('answers localhost and its subdomains with the loopback address, asking no one', async () => {
    expect(await lookup('localhost', false)).toEqual({ error: null, address: '127.0.0.1', family: 4 });
    expect(await lookup('otlp.localhost', true)).toEqual({ error: null, address: [{ address: '127.0.0.1', family: 4 }], family: undefined });
  });

  it('says ENOTFOUND for a name nobody knows, as getaddrinfo would', async () => {
    const { error } = await lookup('otlp.invalid', false);
    expect(error?.code).toBe('ENOTFOUND');
  });
});

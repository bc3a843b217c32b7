import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

/**
 * node:dns loads when a name is first resolved, not at start-up: 0.7 ms of every cold start on
 * Node 24, where the Runtime API is an IP address and a collector in the function's network often
 * is `localhost` (the baseline runtime loads no node:dns).
 */
const dns = (): typeof import('node:dns') => process.getBuiltinModule('node:dns');

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Resolves a host name for the layer's own connections without libuv's thread pool, where Node's
 * default (`dns.lookup`, getaddrinfo) runs. On Lambda Managed Instances every runtime worker
 * thread parks its `/next` long poll in that pool (four threads by default), so while the
 * function is idle a lookup there waits until an invocation arrives: the export of a batch, or the
 * last one at shutdown, would never leave. Here: an IP address is used as it is; `localhost` and
 * its subdomains are the loopback address (RFC 6761); other names go to c-ares (`dns.Resolver`,
 * which runs on the event loop), IPv4 then IPv6, and only a name DNS does not know (one from
 * /etc/hosts) falls back to getaddrinfo.
 */
export function lookupWithoutThreadPool(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  const answer = (addresses: LookupAddress[]): void => {
    if (options.all === true) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
  if (isIP(hostname) !== 0) return answer([{ address: hostname, family: isIP(hostname) }]);
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return answer([{ address: '127.0.0.1', family: 4 }]);
  resolveWithCares(hostname, options.family, (addresses) => {
    if (addresses.length > 0) return answer(addresses);
    dns().lookup(hostname, { ...options, all: true }, (error, fromHosts) => {
      if (error !== null || fromHosts.length === 0) callback(error ?? notFound(hostname), options.all === true ? [] : '');
      else answer(fromHosts);
    });
  });
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

let resolver: InstanceType<ReturnType<typeof dns>['Resolver']> | undefined;

function resolveWithCares(hostname: string, family: number | string | undefined, done: (addresses: LookupAddress[]) => void): void {
  resolver ??= new (dns().Resolver)({ timeout: 500, tries: 2 });
  const wanted = family === 6 || family === 'IPv6' ? [6] : family === 4 || family === 'IPv4' ? [4] : [4, 6];
  const found: LookupAddress[] = [];
  let pending = wanted.length;
  const settle = (): void => {
    if (--pending > 0) return;
    found.sort((a, b) => a.family - b.family);
    done(found);
  };
  for (const version of wanted) {
    const query = version === 4 ? resolver.resolve4.bind(resolver) : resolver.resolve6.bind(resolver);
    query(hostname, (error: NodeJS.ErrnoException | null, addresses: string[]) => {
      if (error === null) for (const address of addresses) found.push({ address, family: version });
      settle();
    });
  }
}

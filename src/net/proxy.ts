import { isIP, type Socket } from 'node:net';

/**
 * An HTTP proxy between us and a server: a CONNECT tunnel for https targets, absolute-form
 * requests for http ones. Which proxy applies follows the rules Node 24 applies to its own
 * clients (`NODE_USE_ENV_PROXY`), so the export goes where the function's own requests would.
 */
export interface HttpProxy {
  readonly host: string;
  readonly port: number;
  /** `Proxy-Authorization` value, from credentials in the proxy URL. */
  readonly authorization: string | undefined;
  /** The proxy URL without its credentials, for diagnostics. */
  readonly display: string;
}

export type ProxyChoice = { readonly proxy: HttpProxy | undefined } | { readonly invalid: string };

/**
 * The proxy for a request to `target`: `proxyUrl` (the https or http proxy variable, by the
 * target's scheme) unless `noProxy` exempts the target. Entries of `noProxy`, comma-separated:
 * `*`, `host`, `host:port`, `.domain` (the domain and its subdomains), `*.domain` (subdomains) and
 * IPv4 ranges `a.b.c.d-e.f.g.h`. A proxy URL without a scheme is taken as http://.
 */
export function proxyFor(target: URL, proxyUrl: string | undefined, noProxy: string | undefined): ProxyChoice {
  const raw = proxyUrl?.trim();
  if (raw === undefined || raw === '') return { proxy: undefined };
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (bypasses(noProxy, host, port)) return { proxy: undefined };
  let url: URL;
  try {
    // Without a scheme, http:// (as curl and Go read it).
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    // Never the value itself in a message: it may carry credentials.
    return { invalid: 'the proxy URL is not a URL' };
  }
  // A proxy reached over TLS would need TLS inside TLS for https targets; no hosted backend needs it.
  if (url.protocol !== 'http:') return { invalid: `the proxy URL is ${url.protocol}//…; only http:// proxies are supported` };
  const credentials = url.username || url.password ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
  return {
    proxy: {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port) || 80,
      authorization: credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`,
      display: `http://${url.host}`,
    },
  };
}

function bypasses(noProxy: string | undefined, host: string, port: string): boolean {
  if (noProxy === undefined) return false;
  for (const item of noProxy.split(',')) {
    const entry = item.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*' || entry === host || entry === `${host}:${port}`) return true;
    if (entry.startsWith('.') && (host === entry.slice(1) || host.endsWith(entry))) return true;
    if (entry.startsWith('*.') && host.endsWith(entry.slice(1))) return true;
    if (entry.includes('-') && isIP(host) === 4) {
      const [from, to] = entry.split('-').map((part) => part.trim());
      if (isIP(from) === 4 && isIP(to) === 4 && ipv4(from) <= ipv4(host) && ipv4(host) <= ipv4(to)) return true;
    }
  }
  return false;
}

function ipv4(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

const HEAD_END = '\r\n\r\n';
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Asks the proxy on `socket` for a tunnel to `authority` (`host:port`) and resolves once it
 * answered 2xx; rejects with a reason otherwise. The socket then carries the TLS handshake.
 */
export function openTunnel(socket: Socket, authority: string, proxy: HttpProxy): Promise<void> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const done = (error?: string): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
      if (error === undefined) resolve();
      else reject(new Error(error));
    };
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEAD_END);
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES) done(`proxy ${proxy.display} sent an oversized answer to CONNECT`);
        return;
      }
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'));
      // Nothing may follow the head: the server speaks only after our TLS handshake starts.
      if (status === null || end + HEAD_END.length !== head.length) done(`proxy ${proxy.display} answered CONNECT with something other than HTTP`);
      else if (!status[1].startsWith('2')) done(`proxy ${proxy.display} refused the tunnel (HTTP ${status[1]})`);
      else done();
    };
    const onClose = (): void => done(`proxy ${proxy.display} closed the connection before the tunnel opened`);
    socket.on('data', onData);
    socket.on('close', onClose);
    let request = `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n`;
    if (proxy.authorization !== undefined) request += `Proxy-Authorization: ${proxy.authorization}\r\n`;
    socket.write(`${request}\r\n`, 'latin1');
  });
}

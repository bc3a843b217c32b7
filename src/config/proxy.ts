import type { Env } from './load';

/**
 * The standard proxy variables, as Node 24 reads them for its own clients (`NODE_USE_ENV_PROXY`):
 * lower-case names win over upper-case ones. Not in the settings table: they are not the layer's
 * own, and the function's other tools read them too. Applied to the OTLP export only (see
 * src/net/proxy.ts); the Extensions API is Lambda's own loopback endpoint.
 */
export interface ProxyVariables {
  readonly httpProxy: string | undefined;
  readonly httpsProxy: string | undefined;
  readonly noProxy: string | undefined;
}

export function readProxyVariables(env: Env): ProxyVariables {
  return {
    httpProxy: env.http_proxy || env.HTTP_PROXY || undefined,
    httpsProxy: env.https_proxy || env.HTTPS_PROXY || undefined,
    noProxy: env.no_proxy || env.NO_PROXY || undefined,
  };
}

/**
 * Requests the layer must never trace: its own exports to the OTLP endpoint, and the runtime's
 * and our extension's calls to the Lambda Runtime API (4.x streams responses over node:http).
 */
export function ignoredHosts(otlpUrl: string, runtimeApi: string | undefined): ReadonlySet<string> {
  const hosts = new Set<string>();
  try {
    const url = new URL(otlpUrl);
    hosts.add(url.host);
    hosts.add(`${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`);
  } catch {
    // An unusable endpoint has already been reported by config; nothing to ignore then.
  }
  if (runtimeApi) hosts.add(runtimeApi);
  return hosts;
}

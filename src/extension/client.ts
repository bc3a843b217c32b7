import type { Agent, ClientRequest, IncomingMessage } from 'node:http';

/**
 * The Extensions API, as seen from inside the runtime process. Registering as an *internal*
 * extension subscribed to INVOKE makes Lambda wait, after each response, until we ask for the
 * next event: a window in which the caller already has its answer and we can export.
 */
export const EXTENSION_NAME = 'lambda-otel-preload';
const API = '/2020-01-01/extension';

export type Registration = { ok: true; id: string } | { ok: false; reason: string };

export interface InvokeEvent {
  readonly eventType: string;
  readonly requestId: string | undefined;
  readonly deadlineMs: number | undefined;
}

type Http = typeof import('node:http');

export class ExtensionClient {
  private readonly http: Http;
  /** One connection for every long poll: a new one per invocation costs a connect and a close. */
  private readonly agent: Agent;

  constructor(private readonly runtimeApi: string) {
    // The runtime loads node:http itself right after the preloads, so this costs nothing extra.
    this.http = require('node:http') as Http;
    this.agent = new this.http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  register(timeoutMs: number): Promise<Registration> {
    return new Promise((resolve) => {
      const req = this.request('POST', '/register', { 'Lambda-Extension-Name': EXTENSION_NAME }, false, (res, body) => {
        const id = res.headers['lambda-extension-identifier'];
        if (res.statusCode === 200 && typeof id === 'string') resolve({ ok: true, id });
        else resolve({ ok: false, reason: `HTTP ${res.statusCode}: ${body.slice(0, 200)}` });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error) => resolve({ ok: false, reason: error.message }));
      req.end(JSON.stringify({ events: ['INVOKE'] }));
    });
  }

  /**
   * Long-polls for the next event. Its socket is unref'd: a pending poll must never keep the
   * event loop alive, or the 3.x runtime would wait forever to answer callback handlers.
   */
  nextEvent(id: string): Promise<InvokeEvent> {
    return new Promise((resolve, reject) => {
      const req = this.request('GET', '/event/next', { 'Lambda-Extension-Identifier': id }, this.agent, (res, body) => {
        if (res.statusCode !== 200) {
          reject(new Error(`event/next answered HTTP ${res.statusCode}`));
          return;
        }
        resolve(parseEvent(body));
      });
      req.on('socket', (socket) => socket.unref());
      req.on('error', reject);
      req.end();
    });
  }

  private request(
    method: string,
    path: string,
    headers: Record<string, string>,
    agent: Agent | false,
    onBody: (res: IncomingMessage, body: string) => void,
  ): ClientRequest {
    const [host, port] = this.runtimeApi.split(':');
    return this.http.request(
      { host, port: Number(port) || 80, method, path: API + path, headers, agent },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => onBody(res, body));
      },
    );
  }
}

function parseEvent(body: string): InvokeEvent {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return {
      eventType: typeof parsed.eventType === 'string' ? parsed.eventType : 'UNKNOWN',
      requestId: typeof parsed.requestId === 'string' ? parsed.requestId : undefined,
      deadlineMs: typeof parsed.deadlineMs === 'number' ? parsed.deadlineMs : undefined,
    };
  } catch {
    return { eventType: 'UNKNOWN', requestId: undefined, deadlineMs: undefined };
  }
}

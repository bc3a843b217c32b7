import { Http1Connection } from '../net/http1-connection';

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

export class ExtensionClient {
  /** One connection for the registration and every long poll after it. */
  private readonly connection: Http1Connection;

  constructor(runtimeApi: string) {
    const colon = runtimeApi.lastIndexOf(':');
    const host = colon < 0 ? runtimeApi : runtimeApi.slice(0, colon);
    const port = colon < 0 ? 80 : Number(runtimeApi.slice(colon + 1)) || 80;
    this.connection = new Http1Connection({ host, port, tls: false });
  }

  /**
   * `events`: INVOKE to be waited for after each invocation; none to be registered only, which is
   * what makes Lambda send SIGTERM before it kills the environment.
   */
  async register(timeoutMs: number, events: readonly 'INVOKE'[] = ['INVOKE']): Promise<Registration> {
    const result = await this.connection.request({
      method: 'POST',
      path: `${API}/register`,
      headers: { 'Lambda-Extension-Name': EXTENSION_NAME, 'Content-Type': 'application/json' },
      body: Buffer.from(JSON.stringify({ events })),
      timeoutMs,
    });
    if (!result.ok) return { ok: false, reason: result.reason };
    const id = result.response.headers.get('lambda-extension-identifier');
    if (result.response.status === 200 && id !== undefined) return { ok: true, id };
    return { ok: false, reason: `HTTP ${result.response.status}: ${result.response.body.toString('utf8').slice(0, 200)}` };
  }

  /**
   * Long-polls for the next event: Lambda answers when the next invocation comes. The pending poll
   * never keeps the event loop alive, or the 3.x runtime would wait for ever to answer callback
   * handlers.
   */
  async nextEvent(id: string): Promise<InvokeEvent> {
    const result = await this.connection.request({
      method: 'GET',
      path: `${API}/event/next`,
      headers: { 'Lambda-Extension-Identifier': id },
      holdsEventLoop: false,
    });
    if (!result.ok) throw new Error(`event/next failed: ${result.reason}`);
    if (result.response.status !== 200) throw new Error(`event/next answered HTTP ${result.response.status}`);
    return parseEvent(result.response.body.toString('utf8'));
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

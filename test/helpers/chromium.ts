/**
 * Headless Chromium (Debian's `chromium`), driven over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: commands in on fd 3, answers out on fd 4, each JSON message ended by
 * a NUL byte), so that a test sees a page as a person does: laid out, clicked with the mouse.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Where Debian puts it; CHROMIUM may name another binary. */
export function chromiumPath(): string | undefined {
  const path = process.env.CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

/** Flags that work on a machine with no network and no display, as root. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--remote-debugging-pipe',
];

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly sessionId?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly message: string };
}

export class Chromium {
  private nextId = 1;
  private buffered = '';
  private readonly pending = new Map<number, { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Set<(message: Message) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly userDataDir: string,
  ) {
    const output = child.stdio[4] as Readable;
    output.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  static launch(executable: string): Chromium {
    const userDataDir = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    const child = spawn(executable, [...FLAGS, `--user-data-dir=${userDataDir}`, '--window-size=1280,1000', 'about:blank'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    });
    return new Chromium(child, userDataDir);
  }

  /** Opens `url` in a new tab and resolves once it has loaded. */
  async open(url: string): Promise<Page> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, String(sessionId));
    await page.send('Page.enable');
    const loaded = this.waitFor((message) => message.method === 'Page.loadEventFired' && message.sessionId === sessionId);
    await page.send('Page.navigate', { url });
    await loaded;
    return page;
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const input = this.child.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.send('Browser.close').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.userDataDir, { recursive: true, force: true });
  }

  private waitFor(predicate: (message: Message) => boolean): Promise<Message> {
    return new Promise((resolve) => {
      const listener = (message: Message): void => {
        if (!predicate(message)) return;
        this.listeners.delete(listener);
        resolve(message);
      };
      this.listeners.add(listener);
    });
  }

  private receive(chunk: Buffer): void {
    this.buffered += chunk.toString('utf8');
    let end: number;
    while ((end = this.buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffered.slice(0, end)) as Message;
      this.buffered = this.buffered.slice(end + 1);
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (waiting !== undefined && message.id !== undefined) {
        this.pending.delete(message.id);
        if (message.error !== undefined) waiting.reject(new Error(message.error.message));
        else waiting.resolve(message.result ?? {});
      }
      for (const listener of [...this.listeners]) listener(message);
    }
  }
}

export class Page {
  constructor(
    private readonly browser: Chromium,
    private readonly sessionId: string,
  ) {}

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** The value of a JavaScript expression evaluated in the page (JSON-serialisable values only). */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = (await this.send('Runtime.evaluate', { expression, returnByValue: true })) as {
      result?: { value?: T };
      exceptionDetails?: { text: string };
    };
    if (exceptionDetails !== undefined) throw new Error(`in the page: ${exceptionDetails.text}`);
    return result?.value as T;
  }

  /** What a person reads on the page: the rendered text, without what is hidden. */
  visibleText(): Promise<string> {
    return this.evaluate<string>('document.body.innerText');
  }

  /** A left click with the mouse in the middle of the first element matching `selector`, scrolled into view. */
  async click(selector: string): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number } | null>(`(() => {
      const element = document.querySelector(${JSON.stringify(selector)});
      if (element === null) return null;
      element.scrollIntoView({ block: 'center' });
      const rect = element.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    })()`);
    if (box === null) throw new Error(`nothing on the page matches ${selector}`);
    for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
    }
  }
}

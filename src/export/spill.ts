import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * Export bodies kept in /tmp while a process that is about to die (a crash, a timeout) tries to
 * send them. Writing one is a fraction of a millisecond, where the send itself may need more than
 * a starved function has left (a 128 MB function has a fourteenth of a vCPU). If the process dies
 * before the backend answered, the next start of the runtime in the same environment (Lambda
 * restarts it there after a crash or a timeout, and /tmp survives) sends them first. A body that
 * did arrive but whose answer did not may thus arrive twice.
 */
const DIR_NAME = 'lambda-otel-preload';
/** More than this many waiting bodies (a function that keeps crashing on a dead backend): the oldest go. */
const MAX_FILES = 16;
const SUFFIX = '.otlp';

export interface SpilledBody {
  readonly path: string;
  readonly body: Buffer;
}

export class Spill {
  private sequence = 0;

  constructor(private readonly dir = join(tmpdir(), DIR_NAME)) {}

  /** Writes `body` to disk; returns its path, or undefined when it could not be written. */
  keep(body: Uint8Array): string | undefined {
    try {
      // Not recursive: the parent is the temporary folder, and a recursive mkdir can spin for
      // ever on some file systems (it does under /proc).
      if (!existsSync(this.dir)) mkdirSync(this.dir);
      // Sortable by time, unique across the threads and processes of the environment.
      const name = `${Date.now().toString().padStart(15, '0')}-${String(this.sequence++).padStart(6, '0')}-${process.pid}-${threadId}${SUFFIX}`;
      const path = join(this.dir, name);
      writeFileSync(path, body);
      this.trim();
      return path;
    } catch {
      return undefined;
    }
  }

  /** Removes a body that was delivered (or can never be). */
  forget(path: string): void {
    try {
      unlinkSync(path);
    } catch {
      // already gone: another thread sent it
    }
  }

  /** What earlier processes (or threads) of this environment kept, oldest first. */
  waiting(): SpilledBody[] {
    const out: SpilledBody[] = [];
    for (const name of this.names()) {
      try {
        out.push({ path: join(this.dir, name), body: readFileSync(join(this.dir, name)) });
      } catch {
        // taken meanwhile by another thread
      }
    }
    return out;
  }

  private names(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((name) => name.endsWith(SUFFIX))
        .sort();
    } catch {
      return [];
    }
  }

  private trim(): void {
    const names = this.names();
    for (const name of names.slice(0, Math.max(0, names.length - MAX_FILES))) this.forget(join(this.dir, name));
  }
}

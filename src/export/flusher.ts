import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Diag } from '../diag';
import { DroppedSpans, type DropCounts } from './dropped-spans';
import type { Deadline, SendResult, SpanSink } from './sink';
import type { SpanBuffer } from './span-buffer';

export interface FlusherOptions {
  /** Where drops are counted; shared with what drops spans before they reach the buffer. */
  readonly dropped?: DroppedSpans;
  /** Most spans kept after a failed export for the next one (default 2048). */
  readonly maxKeptSpans?: number;
  /** Most bytes kept so, counted as serialised OTLP (default 4 MiB). */
  readonly maxKeptBytes?: number;
}

/** What became of the spans so far; `waiting`: buffered or kept for the next export. */
export interface ExportTotals {
  readonly exported: number;
  readonly waiting: number;
  readonly dropped: DropCounts;
}

/** Spans kept from one failed export; `uncertainSends`: sends the backend may have taken without saying so. */
interface Kept {
  spans: ReadableSpan[];
  bytes: number;
  uncertainSends: number;
}

/** How a flush goes about it: the last ones try even a backend being skipped; one before a kill also keeps its body on disk. */
interface Urgency {
  readonly ignoresPause: boolean;
  readonly keepsOnDisk: boolean;
}
const NORMAL: Urgency = { ignoresPause: false, keepsOnDisk: false };
const BEFORE_EXIT: Urgency = { ignoresPause: true, keepsOnDisk: false };
const BEFORE_KILL: Urgency = { ignoresPause: true, keepsOnDisk: true };

/** After a failed export, flushes skip the backend for this long, doubling up to the maximum. */
const FIRST_PAUSE_MS = 2_000;
const MAX_PAUSE_MS = 60_000;
/**
 * Spans whose send got no answer may have arrived: they are sent once more, not again, so a
 * backend that takes spans but answers too late gets each span at most twice.
 */
const MAX_UNCERTAIN_SENDS = 2;
const DEFAULT_MAX_KEPT_SPANS = 2048;
const DEFAULT_MAX_KEPT_BYTES = 4 * 1024 * 1024;

/**
 * Moves whatever the buffer holds to the sink, within a time bound; the function must never
 * notice the backend. Inside the bound the sink retries what may succeed (see retry.ts). What
 * still could not be sent is kept, up to a cap, and goes with the next export; what the backend
 * refused, or what is past the cap, is dropped and counted (see dropped-spans.ts).
 *
 * After a failed export the next flushes skip the backend for a while (2 s, doubling up to a
 * minute, or longer when the backend asked with `Retry-After`): a dead backend costs one
 * invocation the bound now and then, not every invocation. Spans wait in the buffer meanwhile,
 * and the first flush after the pause sends them together with the kept ones.
 */
export class Flusher {
  private sink: SpanSink | undefined;
  private pausedUntil = 0;
  private pauseMs = FIRST_PAUSE_MS;
  private kept: Kept[] = [];
  private keptSpans = 0;
  private keptBytes = 0;
  /** performance.now() when the spans kept now were kept. */
  private keptSince = 0;
  private exported = 0;
  /** The export in progress, for a flush that comes meanwhile to wait for; `sending` while it is. */
  private running: Promise<void> | undefined;
  private sending = false;
  private readonly dropped: DroppedSpans;
  private readonly maxKeptSpans: number;
  private readonly maxKeptBytes: number;

  constructor(
    private readonly buffer: SpanBuffer,
    private readonly openSink: () => SpanSink,
    private readonly destination: string,
    private readonly diag: Diag,
    options: FlusherOptions = {},
  ) {
    this.dropped = options.dropped ?? new DroppedSpans();
    this.maxKeptSpans = options.maxKeptSpans ?? DEFAULT_MAX_KEPT_SPANS;
    this.maxKeptBytes = options.maxKeptBytes ?? DEFAULT_MAX_KEPT_BYTES;
  }

  /** Loads the sink now rather than at the first export. */
  prepare(): void {
    try {
      this.sink ??= this.openSink();
    } catch (error) {
      this.diag.once('export:internal', 'error', `export failed inside the layer: ${String(error)}; spans dropped`);
    }
  }

  /** Exports what is waiting, unless the backend is being skipped after a failure. Never rejects. */
  flush(timeoutMs: number): Promise<void> {
    return this.start({ at: performance.now() + timeoutMs, ms: timeoutMs }, NORMAL);
  }

  /**
   * The export of a process that Lambda is about to kill (an invocation out of time): it tries the
   * backend even while skipping it, and keeps the body on disk until the backend took it, for the
   * runtime's next start in this environment to send if the kill comes first.
   */
  flushBeforeKill(timeoutMs: number): Promise<void> {
    return this.start({ at: performance.now() + timeoutMs, ms: timeoutMs }, BEFORE_KILL);
  }

  /**
   * Starts an export and does not wait for it (`deferred` export mode): its answer may be read
   * after a freeze, in a later invocation. Nothing starts while an export is on its way; the spans
   * then wait for the next one.
   */
  flushInBackground(timeoutMs: number): void {
    if (this.running === undefined) void this.flush(timeoutMs);
  }

  /** Calls `then` each time `count` spans wait for export in the buffer (from a span's end: keep it short). */
  whenWaiting(count: number, then: () => void): void {
    this.buffer.whenHolding(count, then);
  }

  /** Whether an export is on its way, its answer not read yet. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** performance.now() since when spans wait for export (the oldest buffered, or kept after a failure); undefined when none do. */
  waitingSince(): number | undefined {
    const buffered = this.buffer.oldestAt;
    if (this.kept.length === 0) return buffered;
    return buffered === undefined ? this.keptSince : Math.min(buffered, this.keptSince);
  }

  /** Spans waiting for export: buffered, or kept after a failure. */
  get waiting(): number {
    return this.buffer.size + this.keptSpans;
  }

  /**
   * The last flush before the process ends: it tries the backend even while skipping it, and
   * counts whatever is still waiting afterwards as dropped (`shutdown`).
   */
  async flushBeforeExit(budgetMs: number): Promise<void> {
    await this.start({ at: performance.now() + budgetMs, ms: budgetMs }, BEFORE_EXIT);
    this.dropped.add('shutdown', this.buffer.take().length + this.keptSpans);
    this.keep([]);
  }

  /**
   * Sends what is waiting, kept spans included, without returning to the event loop, for at most
   * `timeoutMs`: the last export of a process that is dying of an uncaught exception. Ignores the
   * pause (there is no later export); what it cannot send is dropped and counted.
   */
  flushBlocking(timeoutMs: number): void {
    try {
      this.collectBufferDrops();
      const fresh = this.buffer.take();
      const batches = fresh.length === 0 ? this.kept : [...this.kept, { spans: fresh, bytes: 0, uncertainSends: 0 }];
      const spans = batches.flatMap((batch) => batch.spans);
      this.keep([]);
      if (spans.length === 0) return;
      const started = performance.now();
      this.sink ??= this.openSink();
      this.settle(this.sink.sendBlocking(spans, timeoutMs), batches, spans.length, started);
    } catch (error) {
      this.diag.once('export:internal', 'error', `export failed inside the layer: ${String(error)}; spans dropped`);
    }
  }

  /**
   * Spans dropped since the last call, by reason; undefined when none were (cheap to ask once
   * per invocation). For the next exported invocation span's attributes.
   */
  takeDropped(): DropCounts | undefined {
    this.collectBufferDrops();
    return this.dropped.take();
  }

  /** Everything so far, for one line at shutdown. */
  totals(): ExportTotals {
    this.collectBufferDrops();
    return { exported: this.exported, waiting: this.buffer.size + this.keptSpans, dropped: this.dropped.totals() };
  }

  /**
   * One export at a time (one connection): a flush that finds one running waits for it, within
   * its own bound. Promises are few on purpose: with the context manager's hooks each one costs.
   */
  private start(deadline: Deadline, urgency: Urgency): Promise<void> {
    if (this.running !== undefined) return this.afterRunning(this.running, deadline, urgency);
    const running = this.export(deadline, urgency);
    // An export with nothing to do is over already; only one still sending is waited for.
    if (this.sending) this.running = running;
    return running;
  }

  private async afterRunning(running: Promise<void>, deadline: Deadline, urgency: Urgency): Promise<void> {
    await settledWithin(running, deadline.at - performance.now());
    if (performance.now() < deadline.at) await this.start(deadline, urgency);
  }

  private async export(deadline: Deadline, urgency: Urgency): Promise<void> {
    try {
      this.collectBufferDrops();
      const started = performance.now();
      if (!urgency.ignoresPause && started < this.pausedUntil) return;
      const fresh = this.buffer.take();
      if (fresh.length === 0 && this.kept.length === 0) return;
      const batches = fresh.length === 0 ? this.kept : [...this.kept, { spans: fresh, bytes: 0, uncertainSends: 0 }];
      const spans = batches.length === 1 ? batches[0].spans : batches.flatMap((batch) => batch.spans);
      this.keep([]);
      this.sending = true;
      let result: SendResult;
      try {
        this.sink ??= this.openSink();
        result = await this.sink.send(spans, deadline, urgency.keepsOnDisk);
      } catch (error) {
        this.dropped.add('export-failed', spans.length);
        this.diag.once('export:internal', 'error', `export failed inside the layer: ${String(error)}; spans dropped`);
        return;
      }
      this.settle(result, batches, spans.length, started);
    } catch (error) {
      // Nothing above throws by design; a flush never rejects, whatever a later change adds.
      this.diag.once('export:internal', 'error', `export failed inside the layer: ${String(error)}`);
    } finally {
      this.sending = false;
      this.running = undefined;
    }
  }

  /** What a send's outcome means for the spans sent (`batches`, `count` in all) and for the next flushes. */
  private settle(result: SendResult, batches: Kept[], count: number, started: number): void {
    if (!result.ok && result.keptOnDisk === true) {
      this.diag.debug(`kept ${count} spans on disk for the next start of the runtime (${result.reason})`);
      return;
    }
    if (result.ok) {
      this.exported += count;
      this.pausedUntil = 0;
      this.pauseMs = FIRST_PAUSE_MS;
      this.diag.debug(`exported ${count} spans in ${Math.round(performance.now() - started)} ms`);
      return;
    }
    const pauseMs = Math.max(this.pauseMs, Math.min(result.retryAfterMs ?? 0, MAX_PAUSE_MS));
    this.pausedUntil = performance.now() + pauseMs;
    this.pauseMs = Math.min(this.pauseMs * 2, MAX_PAUSE_MS);
    const failure = `export to ${this.destination} failed (${result.reason})`;
    const attempts = result.attempts !== undefined && result.attempts > 1 ? ` after ${result.attempts} attempts` : '';
    const onlyOnce = 'Further failures for the same reason are not reported.';
    const key = `export:${result.timedOut ? 'timeout' : result.reason}`;
    if (!result.retryable) {
      this.dropped.add('export-failed', count);
      this.diag.once(key, 'warn', `${failure}${attempts}; ${count} spans dropped. ${onlyOnce}`);
      return;
    }
    const bytesPerSpan = (result.bytes ?? 0) / count;
    const kept: Kept[] = [];
    for (const batch of batches) {
      if (result.uncertain) batch.uncertainSends++;
      if (batch.uncertainSends >= MAX_UNCERTAIN_SENDS) this.dropped.add('export-failed', batch.spans.length);
      else kept.push({ ...batch, bytes: batch.bytes || bytesPerSpan * batch.spans.length });
    }
    this.keep(kept);
    this.diag.once(
      key,
      'warn',
      `${failure}${attempts}; ${this.keptSpans} spans kept for the export after a ${Math.round(pauseMs / 1000)} s pause. ${onlyOnce}`,
    );
  }

  /** Makes `batches` the kept spans, oldest first, and drops the oldest spans past the cap. */
  private keep(batches: Kept[]): void {
    if (this.kept.length === 0 && batches.length > 0) this.keptSince = performance.now();
    this.kept = batches;
    this.keptSpans = 0;
    this.keptBytes = 0;
    for (const batch of batches) {
      this.keptSpans += batch.spans.length;
      this.keptBytes += batch.bytes;
    }
    let dropped = 0;
    while ((this.keptSpans > this.maxKeptSpans || this.keptBytes > this.maxKeptBytes) && this.kept.length > 0) {
      const oldest = this.kept[0];
      const perSpan = oldest.bytes / oldest.spans.length;
      const bytesOver = this.keptBytes - this.maxKeptBytes;
      const cut = Math.min(
        oldest.spans.length,
        Math.max(1, this.keptSpans - this.maxKeptSpans, perSpan > 0 ? Math.ceil(bytesOver / perSpan) : 0),
      );
      if (cut === oldest.spans.length) this.kept.shift();
      else oldest.spans = oldest.spans.slice(cut);
      oldest.bytes -= cut * perSpan;
      this.keptSpans -= cut;
      this.keptBytes -= cut * perSpan;
      dropped += cut;
    }
    this.countBufferFull(dropped);
  }

  private collectBufferDrops(): void {
    this.countBufferFull(this.buffer.takeDropped());
  }

  private countBufferFull(count: number): void {
    if (count === 0) return;
    this.dropped.add('buffer-full', count);
    this.diag.once(
      'buffer-full',
      'warn',
      `${count} spans dropped: more spans were waiting for export than the layer keeps. Further drops are counted, not reported.`,
    );
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([promise.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

import { Worker } from 'node:worker_threads';
import { isRetryableStatus } from './retry';
import type { SendResult } from './sink';

/**
 * One POST that the calling thread waits for without returning to its event loop: a worker thread
 * makes the request with node:http(s) while this thread sleeps in `Atomics.wait`. For a process
 * dying of an uncaught exception, whose event loop never turns again. Starting the worker costs
 * tens of milliseconds; nothing of it exists until a crash needs it.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { url, headers, body, state } = workerData;
const done = (status) => {
  Atomics.store(state, 1, status);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
};
try {
  const target = new URL(url);
  const { request } = require(target.protocol === 'https:' ? 'node:https' : 'node:http');
  const req = request(target, { method: 'POST', headers: { ...headers, 'Content-Length': body.byteLength } }, (res) => {
    res.resume();
    res.on('end', () => done(res.statusCode ?? 0));
    res.on('error', () => done(-1));
  });
  req.on('error', () => done(-1));
  req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
} catch {
  done(-1);
}
`;

const PENDING = 0;

export function postBlocking(url: string, headers: Readonly<Record<string, string>>, body: Uint8Array, timeoutMs: number): SendResult {
  // [0]: 0 while pending, 1 when done; [1]: the HTTP status, or -1 for a connection error.
  const state = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker;
  try {
    // A bare thread: no preload (an eval worker runs no `--import`), no instrumentation.
    worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { url, headers, body, state } });
  } catch (error) {
    return { ok: false, reason: `could not start the export thread: ${String(error)}`, retryable: true };
  }
  worker.unref();
  const waited = Atomics.wait(state, 0, PENDING, timeoutMs);
  void worker.terminate();
  // Nothing is retried or kept: the process is dying.
  // Retryable: not by this dying thread, but by the runtime's next start, from what was kept on disk.
  if (waited === 'timed-out') return { ok: false, reason: `no answer within ${timeoutMs} ms`, retryable: true, uncertain: true, timedOut: true };
  const status = Atomics.load(state, 1);
  if (status >= 200 && status < 300) return { ok: true };
  if (status < 0) return { ok: false, reason: 'connection failed', retryable: true };
  return { ok: false, reason: `HTTP ${status}`, retryable: isRetryableStatus(status) };
}
